import type { Context } from "hono";
import type { AppEnv } from "../env";
import type { AuditInput } from "./chain";
import { appendAudit } from "./store";

/**
 * Records a change made through one of our own routes: the workspace is the request's active one and the
 * actor the signed-in user, both already resolved by requireWorkspace(). Awaited, so a 2xx means the change
 * is on record.
 */
export async function audit(c: Context<AppEnv>, entry: Omit<AuditInput, "workspaceId" | "actor"> & { workspaceId?: string }): Promise<void> {
  const user = c.get("user");
  await appendAudit(c.env.DB, [{ ...entry, workspaceId: entry.workspaceId ?? c.get("workspace").id, actor: { id: user.id, email: user.email } }]);
}
