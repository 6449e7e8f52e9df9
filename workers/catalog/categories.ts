import { supports, type ModelKind } from "../deploy/engines";

/**
 * What a Hub model is for, in the words people browse by (pure). The Hub's own pipeline_tag says what
 * a model takes and returns, not what it is good at: a coder, a reasoning distill and a base checkpoint
 * are all "text-generation". So categories come from rules over the task, tags, architecture, library
 * and repo name, and the rules are data (CATEGORY_RULES) run by a small interpreter, so adding a
 * family is one line and a test, not a new branch.
 */

export type Category =
  | "chat" | "code" | "reasoning" | "vision-language" | "embeddings" | "reranking" | "speech-to-text" | "text-to-speech"
  | "image-generation" | "video-generation" | "translation" | "summarization" | "classification" | "object-detection"
  | "math" | "agents" | "base-model" | "other";

/** In the order the catalog lists them. */
export const CATEGORY_LABELS: Record<Category, string> = {
  chat: "Chat & assistants",
  code: "Code",
  reasoning: "Reasoning",
  "vision-language": "Vision-language",
  embeddings: "Embeddings",
  reranking: "Reranking",
  "speech-to-text": "Speech to text",
  "text-to-speech": "Text to speech",
  "image-generation": "Image generation",
  "video-generation": "Video generation",
  translation: "Translation",
  summarization: "Summarization",
  classification: "Classification",
  "object-detection": "Object detection",
  math: "Math",
  agents: "Agents & tool use",
  "base-model": "Base models",
  other: "Other",
};

export type SizeBucket = "tiny" | "small" | "medium" | "large" | "huge" | "unknown";

export interface CategoryInput {
  id: string;
  task?: string | null;
  tags: string[];
  architecture?: string | null;
  library?: string | null;
  params?: number | null;
}

/**
 * One condition set. Each listed field is "any of": `tags: ["a", "b"]` holds when the model has a or b.
 * Tags and libraries compare case-insensitively; `architectures` are regexes (case-sensitive: class
 * names are CamelCase, and "VL" must not match "vl" inside an unrelated word); `name` regexes run
 * case-insensitively on the whole id, so `^org/` targets an organisation. `params` bounds are inclusive.
 */
export interface RuleMatch {
  tasks?: readonly string[];
  tags?: readonly string[];
  architectures?: readonly string[];
  name?: readonly string[];
  libraries?: readonly string[];
  params?: { min?: number; max?: number };
}

/**
 * A rule adds `category` when every field in `when` holds and no field in `unless` does: `when` narrows
 * (AND across fields), `unless` vetoes (any one field is enough), which is how both read in English.
 * Alternatives ("tagged code OR named *coder*") are separate rules for the same category.
 */
export interface CategoryRule {
  category: Category;
  when: RuleMatch;
  unless?: RuleMatch;
}

/** The tasks a chat or instruction-tuned model is published under. */
const GENERATIVE = ["text-generation", "conversational", "image-text-to-text", "audio-text-to-text", "video-text-to-text"];
/**
 * Instruction-tuned or chat checkpoints. The Hub adds "conversational" when a repo ships a chat
 * template, which is the reliable signal; names catch the repos that don't. The Hub's "chat" tag is
 * not used: Qwen puts it on its base checkpoints too.
 */
const CHAT_TAGS = ["conversational", "instruct"];
const CHAT_NAMES = ["instruct", "chat", "[-_.]it([-_.]|$)", "thinking", "[-_]sft([-_.]|$)", "[-_]dpo([-_.]|$)", "[-_]rlhf"];
/** Safety classifiers ship as causal LMs but answer "safe"/"unsafe", not chat. */
const SAFETY_NAMES = ["llama-guard", "shieldgemma", "[-_]guard[-_]"];
const RERANK = { tasks: ["text-ranking"], tags: ["text-ranking", "reranker"], name: ["rerank"] } as const;

export const CATEGORY_RULES: readonly CategoryRule[] = [
  // Modality first: it is what a model can be used for at all, so it leads a model's list.
  { category: "vision-language", when: { tasks: ["image-text-to-text", "visual-question-answering", "video-text-to-text", "image-to-text", "document-question-answering", "any-to-any"] } },
  // Untagged repos and multimodal models filed under another task (Phi-4-multimodal is "automatic-speech-recognition").
  { category: "vision-language", when: { architectures: ["VL", "^Llava", "^Idefics", "^PaliGemma", "^MiniCPMV$", "^Phi4MM", "^Phi3V", "^Mllama", "^Llama4ForConditionalGeneration$"] } },
  { category: "embeddings", when: { tasks: ["sentence-similarity"] }, unless: RERANK },
  // feature-extraction also covers raw encoders (ELECTRA's discriminator); a sentence-transformers repo or
  // an embeddings-benchmark/TEI tag is what says its vectors are meant for retrieval.
  { category: "embeddings", when: { tasks: ["feature-extraction"], libraries: ["sentence-transformers"] }, unless: RERANK },
  { category: "embeddings", when: { tasks: ["feature-extraction"], tags: ["mteb", "text-embeddings-inference"] }, unless: RERANK },
  { category: "embeddings", when: { name: ["embed"] }, unless: { ...RERANK, tasks: ["text-ranking", "text-generation", "text-to-image"] } },
  { category: "reranking", when: { tasks: ["text-ranking"] } },
  { category: "reranking", when: { tags: ["reranker", "text-ranking"] } },
  { category: "reranking", when: { name: ["rerank"] } },
  { category: "speech-to-text", when: { tasks: ["automatic-speech-recognition", "audio-text-to-text"] } },
  { category: "speech-to-text", when: { architectures: ["^WhisperForConditionalGeneration$", "ForCTC$"] } },
  { category: "text-to-speech", when: { tasks: ["text-to-speech"] } },
  { category: "video-generation", when: { tasks: ["text-to-video", "image-to-video"] } },
  { category: "image-generation", when: { tasks: ["text-to-image", "image-to-image", "unconditional-image-generation"] } },
  // Diffusers repos without a task are VAEs, ControlNets and adapters: parts of an image pipeline.
  { category: "image-generation", when: { libraries: ["diffusers"] }, unless: { tasks: ["text-to-video", "image-to-video"], tags: ["video", "text-to-video"] } },
  { category: "translation", when: { tasks: ["translation"] } },
  { category: "translation", when: { name: ["opus-mt", "nllb", "m2m100", "madlad", "seamless"] } },
  { category: "summarization", when: { tasks: ["summarization"] } },
  { category: "summarization", when: { tags: ["summarization"] } },
  { category: "object-detection", when: { tasks: ["object-detection", "zero-shot-object-detection"] } },
  // bge-reranker is filed as text-classification; it is a reranker, not a classifier.
  { category: "classification", when: { tasks: ["text-classification", "token-classification", "zero-shot-classification", "image-classification", "zero-shot-image-classification", "audio-classification", "video-classification"] }, unless: RERANK },
  { category: "classification", when: { name: SAFETY_NAMES } },

  // What a generative model is especially good at. Microsoft's Phi cards tag "nlp, code, math" as
  // capabilities of a general model, not a specialty, so "nlp" vetoes the tag-only rules. "coder" must
  // not match cross-encoder or decoder.
  { category: "code", when: { tags: ["code", "codeqwen", "qwen-coder"] }, unless: { tags: ["nlp"] } },
  { category: "code", when: { name: ["(?<!en|de)coder", "codellama", "codegemma", "codestral", "devstral", "starcoder", "codegen", "granite-[\\d.]+b?-code"] } },
  { category: "math", when: { tags: ["math"] }, unless: { tags: ["nlp"] } },
  { category: "math", when: { name: ["math", "deepscaler", "numina"] } },
  { category: "reasoning", when: { tags: ["reasoning"] } },
  {
    category: "reasoning",
    when: { name: ["deepseek-r1", "qwq", "thinking", "reason", "thinker", "deepscaler", "magistral", "gpt-oss", "minimax-m1", "skywork-or1"] },
    unless: { tasks: ["feature-extraction", "sentence-similarity", "text-ranking"] },
  },
  // Qwen3's first releases (Qwen3-8B, Qwen3-30B-A3B, and their quantisations) think by default; the
  // 2507 refresh split them into -Instruct (no thinking) and -Thinking, which the names above handle.
  { category: "reasoning", when: { tasks: ["text-generation"], name: ["/qwen3-[\\d.]+b(-a[\\d.]+b)?(-(fp8|awq|gguf|\\d+bit))?$"] } },
  { category: "agents", when: { tags: ["function calling", "function-calling", "tool-use", "tool-calling", "agent", "agents", "agentic"] } },
  // Models trained and published for tool-calling agent loops (coding agents, Hermes 2 Pro / 3 function
  // calling; OpenHermes is a plain chat fine-tune).
  { category: "agents", when: { name: ["(?<!open)hermes-[23]", "xlam", "toolace", "functionary", "kimi-k2", "devstral", "qwen3-coder", "glm-4\\.[56]", "minimax-m2", "openhands"] } },

  // General purpose last: "chat" or "base-model" is what is left to say about most text models.
  { category: "chat", when: { tasks: GENERATIVE, tags: CHAT_TAGS }, unless: { name: SAFETY_NAMES } },
  { category: "chat", when: { tasks: GENERATIVE, name: CHAT_NAMES }, unless: { name: SAFETY_NAMES } },
  { category: "base-model", when: { tasks: ["text-generation"] }, unless: { tags: CHAT_TAGS, name: [...CHAT_NAMES, ...SAFETY_NAMES] } },
  // Pretrained vision-language checkpoints (gemma-3-27b-pt, paligemma2-3b-pt-224) say so in their name.
  { category: "base-model", when: { tasks: ["image-text-to-text"], name: ["[-_]pt([-_.]|$)"] }, unless: { tags: CHAT_TAGS, name: CHAT_NAMES } },
];

// ---- the interpreter ----

interface CompiledMatch {
  tasks?: Set<string>;
  tags?: Set<string>;
  architectures?: RegExp[];
  name?: RegExp[];
  libraries?: Set<string>;
  params?: { min: number; max: number };
}
interface CompiledRule {
  category: Category;
  when: CompiledMatch;
  unless: CompiledMatch | undefined;
}

const FIELDS = ["tasks", "tags", "architectures", "name", "libraries", "params"] as const;

function compileMatch(m: RuleMatch, where: string): CompiledMatch {
  const out: CompiledMatch = {};
  for (const key of Object.keys(m)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new Error(`${where}: unknown field '${key}'`);
  }
  const list = (field: "tasks" | "tags" | "architectures" | "name" | "libraries"): readonly string[] | undefined => {
    const v = m[field];
    if (v === undefined) return undefined;
    // An empty list would silently never (in `when`) or always-not (in `unless`) match: a typo, not a rule.
    if (!Array.isArray(v) || v.length === 0) throw new Error(`${where}.${field} must be a non-empty list`);
    return v;
  };
  const regexes = (field: "architectures" | "name", flags: string) =>
    list(field)?.map((source) => {
      try {
        return new RegExp(source, flags);
      } catch {
        throw new Error(`${where}.${field}: '${source}' is not a valid regular expression`);
      }
    });
  const lower = (field: "tasks" | "tags" | "libraries") => {
    const v = list(field);
    return v && new Set(v.map((s) => s.toLowerCase()));
  };
  const tasks = lower("tasks");
  const tags = lower("tags");
  const libraries = lower("libraries");
  const architectures = regexes("architectures", "");
  const name = regexes("name", "i");
  if (tasks) out.tasks = tasks;
  if (tags) out.tags = tags;
  if (libraries) out.libraries = libraries;
  if (architectures) out.architectures = architectures;
  if (name) out.name = name;
  if (m.params) out.params = { min: m.params.min ?? 0, max: m.params.max ?? Number.POSITIVE_INFINITY };
  if (Object.keys(out).length === 0) throw new Error(`${where} has no conditions`);
  return out;
}

/** Validates and compiles rules once; throws on a malformed rule so a bad edit fails its test, not a sync. */
export function compileRules(rules: readonly CategoryRule[]): readonly CompiledRule[] {
  return rules.map((r, i) => {
    if (!(r.category in CATEGORY_LABELS)) throw new Error(`rule ${i}: unknown category '${r.category}'`);
    return { category: r.category, when: compileMatch(r.when, `rule ${i} (${r.category}).when`), unless: r.unless && compileMatch(r.unless, `rule ${i} (${r.category}).unless`) };
  });
}

// The sync categorises every Hub model it sees; compile each rules array once, not per model.
const compiled = new WeakMap<readonly CategoryRule[], readonly CompiledRule[]>();

interface Facts {
  task: string | undefined;
  tags: Set<string>;
  architecture: string | undefined;
  id: string;
  library: string | undefined;
  params: number | undefined;
}

/** Which of a match's fields hold for the model (a field the model lacks never holds). */
function* held(m: CompiledMatch, f: Facts): Generator<boolean> {
  if (m.tasks) yield f.task !== undefined && m.tasks.has(f.task);
  if (m.tags) yield [...m.tags].some((t) => f.tags.has(t));
  if (m.libraries) yield f.library !== undefined && m.libraries.has(f.library);
  if (m.architectures) yield f.architecture !== undefined && m.architectures.some((r) => r.test(f.architecture!));
  if (m.name) yield m.name.some((r) => r.test(f.id));
  if (m.params) yield f.params !== undefined && f.params >= m.params.min && f.params <= m.params.max;
}

function all(m: CompiledMatch, f: Facts): boolean {
  for (const ok of held(m, f)) if (!ok) return false;
  return true;
}

function any(m: CompiledMatch, f: Facts): boolean {
  for (const ok of held(m, f)) if (ok) return true;
  return false;
}

/** A model's categories in rule order (the first rule that fires places a category), never empty. */
export function categorize(m: CategoryInput, rules: readonly CategoryRule[] = CATEGORY_RULES): Category[] {
  let program = compiled.get(rules);
  if (!program) compiled.set(rules, (program = compileRules(rules)));
  const facts: Facts = {
    id: m.id,
    task: m.task?.toLowerCase() || undefined,
    tags: new Set(m.tags.map((t) => t.toLowerCase())),
    architecture: m.architecture || undefined,
    library: m.library?.toLowerCase() || undefined,
    params: typeof m.params === "number" && Number.isFinite(m.params) ? m.params : undefined,
  };
  const out: Category[] = [];
  for (const rule of program) {
    if (out.includes(rule.category)) continue;
    if (all(rule.when, facts) && !(rule.unless && any(rule.unless, facts))) out.push(rule.category);
  }
  return out.length ? out : ["other"];
}

/** Upper bounds (exclusive) of each bucket, in parameters. */
export const SIZE_BOUNDS: readonly [Exclude<SizeBucket, "unknown">, number][] = [
  ["tiny", 1e9],
  ["small", 10e9],
  ["medium", 40e9],
  ["large", 150e9],
  ["huge", Number.POSITIVE_INFINITY],
];

/** tiny < 1B ≤ small < 10B ≤ medium < 40B ≤ large < 150B ≤ huge; unknown when the Hub lists no weights. */
export function sizeBucket(params: number | null | undefined): SizeBucket {
  if (typeof params !== "number" || !Number.isFinite(params) || params <= 0) return "unknown";
  return SIZE_BOUNDS.find(([, below]) => params < below)![0];
}

export const DEPLOYABLE_VLLM = 1;
export const DEPLOYABLE_SGLANG = 2;

/**
 * The pipeline → kind reading of the planner's modelKind (workers/deploy/planner.ts), so the catalog's
 * "deployable" badge never promises what a deploy would refuse; test/unit/catalog pins the agreement
 * over the whole sample. Rerankers and everything else are not served.
 */
const CHAT_PIPELINES = new Set(["text-generation", "text2text-generation", "image-text-to-text", "conversational"]);
const EMBEDDING_PIPELINES = new Set(["sentence-similarity", "feature-extraction"]);

function servingKind(task: string | null | undefined, architecture: string): ModelKind | undefined {
  if (task && CHAT_PIPELINES.has(task)) return "chat";
  if (task && EMBEDDING_PIPELINES.has(task)) return "embedding";
  if (!task && architecture.endsWith("ForCausalLM")) return "chat";
  return undefined;
}

/**
 * Weight formats neither engine loads even though config.json names a supported architecture: MLX
 * repos (mlx-community) hold Apple-MLX-quantised tensors under their own names.
 */
const UNSERVABLE_FORMAT_TAGS = new Set(["mlx"]);

/** Bit 1: vLLM serves it; bit 2: SGLang does (engines.ts support tables, per chat/embedding kind). */
export function deployableMask(m: { task?: string | null; architecture?: string | null; tags: string[] }): number {
  if (!m.architecture) return 0;
  if (m.tags.some((t) => UNSERVABLE_FORMAT_TAGS.has(t.toLowerCase()))) return 0;
  const kind = servingKind(m.task, m.architecture);
  if (!kind) return 0;
  return (supports("vllm", kind, m.architecture) ? DEPLOYABLE_VLLM : 0) | (supports("sglang", kind, m.architecture) ? DEPLOYABLE_SGLANG : 0);
}
