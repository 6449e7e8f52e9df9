/**
 * Gemini models the stand-in serves. A request may name a listed model or a listed model plus "-suffix"
 * (`gemini-2.5-flash-001`, or a test-scoped `gemini-2.5-flash-cut-1` for fault rules); anything else is
 * Google's 404 NOT_FOUND.
 */
import { resolveModel } from "../openai/models";

export interface GeminiModel {
  id: string;
  displayName: string;
  version: string;
  outputTokenLimit: number;
  /** Thinks by default (2.5 and 3 families); `thinkingBudget: 0` turns it off unless `thinkingRequired`. */
  thinks: boolean;
  thinkingRequired: boolean;
}

export const GEMINI_MODELS: readonly GeminiModel[] = [
  { id: "gemini-3-pro-preview", displayName: "Gemini 3 Pro Preview", version: "3-pro-preview-11-2025", outputTokenLimit: 65536, thinks: true, thinkingRequired: true },
  { id: "gemini-2.5-pro", displayName: "Gemini 2.5 Pro", version: "2.5", outputTokenLimit: 65536, thinks: true, thinkingRequired: true },
  { id: "gemini-2.5-flash", displayName: "Gemini 2.5 Flash", version: "001", outputTokenLimit: 65536, thinks: true, thinkingRequired: false },
  { id: "gemini-2.5-flash-lite", displayName: "Gemini 2.5 Flash-Lite", version: "001", outputTokenLimit: 65536, thinks: false, thinkingRequired: false },
  { id: "gemini-2.0-flash", displayName: "Gemini 2.0 Flash", version: "2.0", outputTokenLimit: 8192, thinks: false, thinkingRequired: false },
  { id: "gemini-2.0-flash-lite", displayName: "Gemini 2.0 Flash-Lite", version: "2.0", outputTokenLimit: 8192, thinks: false, thinkingRequired: false },
];

export function findGeminiModel(name: string): GeminiModel | undefined {
  const id = resolveModel(name.replace(/^models\//, ""), GEMINI_MODELS.map((m) => m.id), true);
  return GEMINI_MODELS.find((m) => m.id === id);
}

export function geminiModelResource(m: GeminiModel) {
  const thinking = m.thinks || m.thinkingRequired;
  return {
    name: `models/${m.id}`,
    version: m.version,
    displayName: m.displayName,
    description: `${m.displayName} (sandbox stand-in)`,
    inputTokenLimit: 1048576,
    outputTokenLimit: m.outputTokenLimit,
    supportedGenerationMethods: ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    ...(thinking ? { thinking: true } : {}),
  };
}

export function notFoundMessage(name: string, version: string, method: string): string {
  return `models/${name} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`;
}
