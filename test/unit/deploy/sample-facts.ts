import { modelFacts, type ModelFacts } from "../../../workers/deploy/model-facts";
import { SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";
import type { HubModel } from "../../../workers/sandbox/huggingface/types";

/** A real Hub record from the shipped sample (465 models captured from huggingface.co). */
export function sampleModel(id: string): HubModel {
  const m = SAMPLE_MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`${id} is not in workers/sandbox/huggingface/sample-models.json`);
  return m;
}

/** Facts for a sample model, read the way hub.ts reads them: model info plus its config.json. */
export function sampleFacts(id: string): ModelFacts {
  const m = sampleModel(id);
  return modelFacts(m, m.configJson);
}
