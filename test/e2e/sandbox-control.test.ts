import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { decide, type FaultRule } from "../../workers/sandbox/faults";

const sandbox = inject("sandboxUrl");

async function post(path: string, body: string, method = "POST") {
  const res = await fetch(`${sandbox}${path}`, { method, body, headers: { "content-type": "application/json" } });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
}

describe("sandbox control surface", () => {
  it("lists the stand-ins and their mount points", async () => {
    const res = await fetch(`${sandbox}/_control`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(Object.keys(body.services)).toEqual(["openai", "anthropic", "gemini", "runpod", "runpod-serverless", "huggingface", "stripe"]);
  });

  it.each([
    ["malformed JSON", "{not json", 400, "invalid_json"],
    ["no effect", JSON.stringify({ service: "openai" }), 400, "invalid_request"],
    ["unknown service", JSON.stringify({ service: "azure", status: 500 }), 400, "invalid_request"],
    ["wrong type", JSON.stringify({ service: "openai", status: "500" }), 400, "invalid_request"],
    ["non-error status", JSON.stringify({ service: "openai", status: 204 }), 400, "invalid_request"],
    ["unknown field", JSON.stringify({ service: "openai", status: 500, explode: true }), 400, "invalid_request"],
    ["huge latency", JSON.stringify({ service: "openai", latencyMs: 10_000_000 }), 400, "invalid_request"],
  ])("rejects a fault with %s as a 4xx", async (_name, body, status, code) => {
    const res = await post("/_control/faults", body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it("creates, lists and deletes a fault rule", async () => {
    const created = await post("/_control/faults", JSON.stringify({ service: "huggingface", match: { path: "/api/never-called" }, status: 502 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^fault_\d+$/), applied: 0, status: 502 });
    const list = (await (await fetch(`${sandbox}/_control/faults`)).json()) as any;
    expect(list.faults.map((f: { id: string }) => f.id)).toContain(created.body.id);
    expect((await post(`/_control/faults/${created.body.id}`, "", "DELETE")).status).toBe(204);
    const again = await post(`/_control/faults/${created.body.id}`, "", "DELETE");
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
  });

  it("applies a probabilistic fault to a seeded, reproducible share of requests; `times` counts applied hits only", async () => {
    // A path no other test touches: unfaulted, RunPod answers 404 here; faulted, 503.
    const path = `/serverless/flaky-${Date.now()}`;
    const get = async () => (await fetch(`${sandbox}/runpod/v2${path}`, { headers: { authorization: "Bearer k" } })).status;
    const input = { service: "runpod", match: { path }, status: 503, probability: 0.3, seed: 20261127 } as const;
    const created = await post("/_control/faults", JSON.stringify(input));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ probability: 0.3, seed: 20261127, applied: 0 });

    const seen: number[] = [];
    for (let i = 0; i < 60; i++) seen.push(await get());
    expect(new Set(seen)).toEqual(new Set([404, 503]));
    // The same seed gives the same sequence: replay the rule through the pure decision.
    const replay = (rule: Omit<FaultRule, "id" | "createdAt" | "applied">, n: number) => {
      let rules: FaultRule[] = [{ ...rule, id: "replay", createdAt: 0, applied: 0 }];
      return Array.from({ length: n }, () => {
        const d = decide(rules, { service: "runpod", path, method: "GET" }, 0);
        rules = d.rules;
        return d.effect ? 503 : 404;
      });
    };
    expect(seen).toEqual(replay(input, seen.length));
    const listed = ((await (await fetch(`${sandbox}/_control/faults`)).json()) as any).faults.find((f: { id: string }) => f.id === created.body.id);
    expect(listed.applied).toBe(seen.filter((s) => s === 503).length);
    expect((await post(`/_control/faults/${created.body.id}`, "", "DELETE")).status).toBe(204);

    const limited = await post("/_control/faults", JSON.stringify({ ...input, probability: 0.5, times: 3 }));
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await get());
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(statuses).toEqual(replay({ ...input, probability: 0.5, times: 3 }, statuses.length));
    const faults = ((await (await fetch(`${sandbox}/_control/faults`)).json()) as any).faults as { id: string }[];
    expect(faults.map((f) => f.id)).not.toContain(limited.body.id);

    expect((await post("/_control/faults", JSON.stringify({ service: "runpod", status: 503, probability: 0 }))).status).toBe(400);
    expect((await post("/_control/faults", JSON.stringify({ service: "runpod", status: 503, seed: 1 }))).status).toBe(400);
  });

  it("validates settings patches", async () => {
    expect((await post("/_control/settings", "[]", "PATCH")).status).toBe(400);
    expect((await post("/_control/settings", JSON.stringify({ runpodReadyDelayMs: -1 }), "PATCH")).status).toBe(400);
    expect((await post("/_control/settings", JSON.stringify({ hfCatalog: "everything" }), "PATCH")).status).toBe(400);
    expect((await post("/_control/settings", JSON.stringify({ runpodColdStartMs: -1 }), "PATCH")).status).toBe(400);
    expect((await post("/_control/settings", JSON.stringify({ runpodColdStartMs: 1.5 }), "PATCH")).status).toBe(400);
    expect((await post("/_control/settings", "{oops", "PATCH")).body.error.code).toBe("invalid_json");
    const settings = (await (await fetch(`${sandbox}/_control/settings`)).json()) as any;
    expect(settings).toMatchObject({ runpodReadyDelayMs: expect.any(Number), runpodColdStartMs: expect.any(Number), hfCatalog: expect.stringMatching(/sample|large/) });
  });

  it("answers unknown paths with a 404 in the owning service's shape", async () => {
    const openai = (await (await fetch(`${sandbox}/openai/v1/nope`)).json()) as any;
    expect(openai.error).toMatchObject({ type: "invalid_request_error" });
    const runpod = await fetch(`${sandbox}/runpod/v2/nope/deeper/path`);
    expect(runpod.status).toBe(404);
    expect(runpod.headers.get("content-type")).toContain("application/problem+json");
    const other = await fetch(`${sandbox}/elsewhere`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).error.code).toBe("not_found");
  });
});
