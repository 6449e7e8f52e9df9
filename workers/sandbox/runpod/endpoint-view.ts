import type { EndpointRecord } from "./endpoint";

/**
 * What the outside sees of an endpoint record: the REST `Endpoint` body (RP-V2-SPEC, field order as in
 * the spec's examples) and the model names its worker serves.
 */

/** The `Endpoint` response body; request URLs point at this sandbox's runtime (`runtimeBase`). */
export function endpointView(rec: EndpointRecord, runtimeBase: string) {
  const base = `${runtimeBase}/${rec.id}`;
  const requestUrls =
    rec.type === "QUEUE"
      ? {
          run: `${base}/run`,
          runSync: `${base}/runsync`,
          status: `${base}/status/{job_id}`,
          stream: `${base}/stream/{job_id}`,
          cancel: `${base}/cancel/{job_id}`,
          retry: `${base}/retry/{job_id}`,
          purgeQueue: `${base}/purge-queue`,
          health: `${base}/health`,
        }
      : { base, health: `${base}${lbHealthPath(rec)}` };
  const workers =
    rec.type === "QUEUE" && rec.scaling.type === "REQUEST_COUNT" ? { min: rec.workers.min, max: rec.workers.max } : { ...rec.workers };
  return {
    id: rec.id,
    name: rec.name,
    type: rec.type,
    requestUrls,
    image: rec.image,
    args: rec.args,
    disk: rec.disk,
    ports: rec.ports,
    env: rec.env,
    registry: rec.registry,
    ...(rec.cpu ? { cpu: rec.cpu } : { gpu: rec.gpu }),
    workers,
    scaling: rec.scaling,
    dataCenterIds: rec.dataCenterIds,
    networkVolumes: rec.networkVolumes,
    timeout: rec.timeout,
    flashboot: rec.flashboot,
    createdAt: rec.createdAt,
  };
}

/** Load-balancer endpoints are health-checked on HEALTH_CHECK_PATH, `/ping` by default. */
export function lbHealthPath(rec: EndpointRecord): string {
  const path = rec.env.HEALTH_CHECK_PATH || "/ping";
  return path.startsWith("/") ? path : `/${path}`;
}

/**
 * The model names the endpoint's OpenAI-compatible route serves: vLLM's `--served-model-name` override,
 * SGLang's SERVED_MODEL_NAME, else the model itself (MODEL_NAME, or SGLang's older MODEL_PATH).
 */
export function servedModelNames(rec: EndpointRecord): string[] {
  const e = rec.env;
  const name = e.OPENAI_SERVED_MODEL_NAME_OVERRIDE || e.SERVED_MODEL_NAME || e.MODEL_NAME || e.MODEL_PATH;
  return name ? [name] : [];
}
