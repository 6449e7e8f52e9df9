import { buildOpenAiRequest, decodeOpenAiError, decodeOpenAiResponse, OpenAiStreamDecoder, VLLM_FLAVOR } from "./openai";
import type { Provider } from "./types";

/**
 * RunPod serverless endpoints running the vLLM or SGLang worker, through their OpenAI-compatible route
 * `{RUNPOD_SERVERLESS_URL}/{endpoint_id}/openai/v1`. The target's model is `<endpoint_id>/<served model name>`
 * (the deployment registry supplies both), so one provider serves every deployment.
 */
export function splitRunpodModel(model: string): { endpointId: string; servedModel: string } {
  const slash = model.indexOf("/");
  if (slash <= 0) return { endpointId: model, servedModel: model };
  return { endpointId: model.slice(0, slash), servedModel: model.slice(slash + 1) };
}

export const runpodProvider: Provider = {
  name: "runpod",
  buildRequest(req, target) {
    const { endpointId, servedModel } = splitRunpodModel(target.model);
    const call = buildOpenAiRequest(req, { ...target, model: servedModel }, VLLM_FLAVOR);
    return { ...call, path: `/${encodeURIComponent(endpointId)}/openai/v1/chat/completions` };
  },
  decodeResponse: decodeOpenAiResponse,
  streamDecoder: () => new OpenAiStreamDecoder(),
  decodeError: decodeOpenAiError,
};
