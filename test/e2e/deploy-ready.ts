import { expect } from "vitest";
import { apiCall, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * Deploys a model for a signed-in user through the API and waits for the RunPod stand-in to bring it to
 * `ready`; returns the deployment as GET /api/deployments/:id shows it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function deployReady(user: SignedUp, body: { model: string; name?: string; scaling?: { workersMin: number; workersMax: number } }): Promise<any> {
  const created = await apiCall(user, "POST", "/api/deployments", { scaling: { workersMin: 0, workersMax: 1 }, ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const ready = await until(() => apiCall(user, "GET", `/api/deployments/${created.body.id}`), (r) => r.body?.state === "ready", 30_000, 200);
  expect(ready.body.state).toBe("ready");
  return ready.body;
}
