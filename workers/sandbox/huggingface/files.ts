import { hexOf } from "./hash";
import type { HubModel } from "./types";

/**
 * Repository file contents for `/{repo}/resolve/{rev}/{path}`: the small text files a client actually
 * reads (config.json, generation_config.json, tokenizer_config.json, adapter_config.json,
 * model_index.json, README.md) are rendered from the record; weight files listed in `siblings` answer
 * with a short placeholder body (their real size is in `x-linked-size`), never gigabytes.
 */

export interface RepoFile {
  body: string;
  contentType: string;
  /** Size of the real file (placeholders are shorter). */
  size: number;
  placeholder: boolean;
  etag: string;
}

function yamlValue(v: unknown): string {
  if (Array.isArray(v)) return `\n${v.map((x) => `- ${String(x)}`).join("\n")}`;
  return ` ${String(v)}`;
}

function modelCard(m: HubModel): string {
  const front = Object.entries(m.cardData).map(([k, v]) => `${k}:${yamlValue(v)}`).join("\n");
  const name = m.id.split("/")[1] ?? m.id;
  const base = typeof m.cardData.base_model === "string" ? `\n\nThis model derives from [${m.cardData.base_model}](https://huggingface.co/${m.cardData.base_model}).` : "";
  const params = m.safetensors ? `\n\n- Parameters: ${m.safetensors.total.toLocaleString("en-US")}` : "";
  return `---\n${front}\n---\n\n# ${name}\n\n${m.pipeline_tag ? `A ${m.pipeline_tag} model` : "A model"} published by ${m.author}.${base}${params}\n`;
}

function generationConfig(m: HubModel): Record<string, unknown> | undefined {
  const c = m.configJson;
  if (!c || m.pipeline_tag !== "text-generation") return undefined;
  return { bos_token_id: c.bos_token_id ?? 1, do_sample: true, eos_token_id: c.eos_token_id ?? 2, temperature: 0.6, top_p: 0.9, transformers_version: c.transformers_version ?? "4.46.0" };
}

function tokenizerConfig(m: HubModel): Record<string, unknown> | undefined {
  const t = m.config?.tokenizer_config as Record<string, unknown> | undefined;
  if (!t) return undefined;
  const maxLen = m.configJson?.max_position_embeddings;
  return { ...t, clean_up_tokenization_spaces: false, model_max_length: typeof maxLen === "number" ? maxLen : 1e30, tokenizer_class: "PreTrainedTokenizerFast" };
}

function jsonFile(path: string, m: HubModel): Record<string, unknown> | undefined {
  switch (path) {
    case "config.json": return m.configJson ?? (m.library_name === "timm" ? { architecture: m.id.split("/")[1]?.split(".")[0], num_classes: 1000 } : undefined);
    case "generation_config.json": return generationConfig(m);
    case "tokenizer_config.json": return tokenizerConfig(m);
    case "adapter_config.json": {
      const base = m.cardData.base_model;
      return { base_model_name_or_path: base, bias: "none", lora_alpha: 32, lora_dropout: 0.05, peft_type: "LORA", r: 16, target_modules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], task_type: "CAUSAL_LM" };
    }
    case "model_index.json": {
      const diffusers = m.config?.diffusers as Record<string, unknown> | undefined;
      return diffusers ? { _class_name: diffusers._class_name, _diffusers_version: "0.32.0" } : undefined;
    }
    default: return undefined;
  }
}

/** The file at `path` in the repository, or undefined when the repository has no such file. */
export function repoFile(m: HubModel, path: string): RepoFile | undefined {
  const sibling = m.siblings.find((s) => s.rfilename === path);
  if (!sibling) return undefined;
  const etag = `"${hexOf(`etag:${m.sha}:${path}`, 40)}"`;
  if (path === "README.md") {
    const body = modelCard(m);
    return { body, contentType: "text/markdown; charset=utf-8", size: body.length, placeholder: false, etag };
  }
  if (path.endsWith(".json")) {
    const json = jsonFile(path, m);
    if (json) {
      const body = `${JSON.stringify(json, null, 2)}\n`;
      return { body, contentType: "application/json; charset=utf-8", size: body.length, placeholder: false, etag };
    }
  }
  return { body: `sandbox placeholder for ${m.id}/${path} (${sibling.size} bytes)\n`, contentType: "application/octet-stream", size: sibling.size, placeholder: true, etag };
}
