import type { Env } from "../env";
import { RunpodClient } from "./runpod-client";
import { deploymentStub } from "./service";

/**
 * The scheduled scaling pass (issue 10), one call per cron tick with bounded work: for up to
 * `SCALING_BATCH` ready deployments (those looked at longest ago first, by their row's update time) the
 * DeployObject's GPU pool watcher runs, then its predictive-scaling tick. Each object does its own I/O
 * and applies changes through its own alarm, so a slow RunPod delays this pass, never a request.
 */
export const SCALING_BATCH = 50;
const PARALLEL = 5;

export interface ScalingRunReport {
  looked: number;
  moves: { id: string; from: string; to: string; kind: string }[];
  proposals: { id: string; applied: boolean }[];
  errors: string[];
  skipped?: string;
}

export async function runScalingCron(env: Env, now = Date.now(), limit = SCALING_BATCH): Promise<ScalingRunReport> {
  const report: ScalingRunReport = { looked: 0, moves: [], proposals: [], errors: [] };
  if (new RunpodClient(env as unknown as Record<string, unknown>).rest.mode === "unconfigured") return { ...report, skipped: "RunPod is not configured" };
  const { results } = await env.DB.prepare("SELECT id FROM deployment WHERE state = 'ready' AND endpoint_id IS NOT NULL ORDER BY updated_at LIMIT ?").bind(limit).all<{ id: string }>();
  for (let i = 0; i < results.length; i += PARALLEL) {
    await Promise.all(
      results.slice(i, i + PARALLEL).map(async ({ id }) => {
        report.looked++;
        const stub = deploymentStub(env, id);
        try {
          const w = await stub.watchPools(now);
          if (w.move) report.moves.push({ id, from: w.move.from, to: w.move.to, kind: w.move.kind });
        } catch (err) {
          report.errors.push(`pools ${id}: ${String(err)}`);
        }
        try {
          const p = await stub.autoscale(now);
          if (p.proposal) report.proposals.push({ id, applied: p.proposal.applied });
        } catch (err) {
          report.errors.push(`autoscale ${id}: ${String(err)}`);
        }
      }),
    );
  }
  return report;
}
