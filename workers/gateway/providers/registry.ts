import type { UpstreamName } from "../../platform/upstreams";
import type { ProviderName } from "../resolve";
import { anthropicProvider } from "./anthropic";
import { geminiProvider } from "./gemini";
import { openAiProvider } from "./openai";
import { runpodProvider } from "./runpod";
import type { Provider } from "./types";

/** Each provider's translator and the configured upstream (URL + key, real or stand-in) it talks to. */
export const PROVIDERS: Record<ProviderName, { provider: Provider; upstream: UpstreamName }> = {
  openai: { provider: openAiProvider, upstream: "openai" },
  anthropic: { provider: anthropicProvider, upstream: "anthropic" },
  google: { provider: geminiProvider, upstream: "gemini" },
  runpod: { provider: runpodProvider, upstream: "runpodServerless" },
};
