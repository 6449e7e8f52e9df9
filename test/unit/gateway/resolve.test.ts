import { describe, expect, it } from "vitest";
import { matchRule, parseModelName, resolveRoute, UnknownModelError, validateRules } from "../../../workers/gateway/resolve";

describe("parseModelName", () => {
  it.each([
    ["openai/gpt-4o-mini", { provider: "openai", model: "gpt-4o-mini" }],
    ["anthropic/claude-sonnet-4-5", { provider: "anthropic", model: "claude-sonnet-4-5" }],
    ["google/gemini-2.5-flash", { provider: "google", model: "gemini-2.5-flash" }],
    ["gemini/gemini-2.5-flash", { provider: "google", model: "gemini-2.5-flash" }],
    ["runpod/qwen-coder", { provider: "runpod", model: "qwen-coder" }],
    ["runpod/Qwen/Qwen2.5-7B", { provider: "runpod", model: "Qwen/Qwen2.5-7B" }],
    ["gpt-4o", { provider: "openai", model: "gpt-4o" }],
    ["o4-mini", { provider: "openai", model: "o4-mini" }],
    ["claude-3-5-haiku-latest", { provider: "anthropic", model: "claude-3-5-haiku-latest" }],
    ["gemini-2.5-pro", { provider: "google", model: "gemini-2.5-pro" }],
  ])("%s", (name, expected) => {
    expect(parseModelName(name)).toEqual(expected);
  });

  it("refuses names it cannot place", () => {
    expect(parseModelName("llama-3")).toBeUndefined();
    expect(parseModelName("acme/model")).toBeUndefined();
    expect(parseModelName("openai/")).toBeUndefined();
  });
});

describe("bridge map", () => {
  const rules = [
    { match: "claude-*", targets: ["runpod/qwen-coder", "anthropic/claude-haiku-4-5"] },
    { match: "claude-opus-*", targets: ["anthropic/claude-opus-4-5"] },
    { match: "gpt-4o", targets: ["runpod/llama-70b"] },
    { match: "gpt-4o*", targets: ["google/gemini-2.5-flash"] },
    { match: "house-model", targets: ["runpod/llama-70b"] },
  ];

  it("prefers exact names, then the glob with the most literal characters", () => {
    expect(matchRule("gpt-4o", rules)?.match).toBe("gpt-4o");
    expect(matchRule("gpt-4o-mini", rules)?.match).toBe("gpt-4o*");
    expect(matchRule("claude-opus-4-5", rules)?.match).toBe("claude-opus-*");
    expect(matchRule("claude-sonnet-4-5", rules)?.match).toBe("claude-*");
    expect(matchRule("o3", rules)).toBeUndefined();
  });

  it("routes Claude Code's model to an open model with a Western fallback, measured against the Claude it replaced", () => {
    expect(resolveRoute("claude-sonnet-4-5-20250929", rules)).toEqual({
      requested: "claude-sonnet-4-5-20250929",
      targets: [
        { provider: "runpod", model: "qwen-coder" },
        { provider: "anthropic", model: "claude-haiku-4-5" },
      ],
      baseline: "anthropic/claude-sonnet-4-5-20250929",
      rule: "claude-*",
    });
  });

  it("custom names take the configured baseline, else the first Western target", () => {
    expect(resolveRoute("house-model", rules, "openai/gpt-4o").baseline).toBe("openai/gpt-4o");
    expect(resolveRoute("house-model", rules).baseline).toBeUndefined();
    expect(resolveRoute("gpt-4o-mini", rules).baseline).toBe("openai/gpt-4o-mini");
  });

  it("without a rule, names go where their spelling says, and unknown names are refused", () => {
    expect(resolveRoute("openai/gpt-4o-mini").targets).toEqual([{ provider: "openai", model: "gpt-4o-mini" }]);
    expect(resolveRoute("runpod/mine").baseline).toBeUndefined();
    expect(() => resolveRoute("llama-3")).toThrow(UnknownModelError);
  });

  it("validates maps before they are stored", () => {
    expect(validateRules(rules)).toEqual([]);
    expect(validateRules([{ match: "x", targets: [] }, { match: "x", targets: ["acme/y"] }, { match: " ", targets: ["gpt-4o"] }])).toEqual([
      "rules[0].targets is empty",
      "rules[1].match 'x' appears twice",
      "rules[1].targets[0] 'acme/y' is not a provider/model name",
      "rules[2].match is empty",
    ]);
  });
});

describe("layered maps", () => {
  it("a workspace rule beats a more specific platform default", () => {
    const own = [{ match: "claude-*", targets: ["runpod/ep/qwen"] }];
    const defaults = [{ match: "claude-sonnet-*", targets: ["anthropic/claude-haiku-4-5"] }];
    expect(resolveRoute("claude-sonnet-4-5", [own, defaults]).rule).toBe("claude-*");
    expect(resolveRoute("claude-sonnet-4-5", [[], defaults]).rule).toBe("claude-sonnet-*");
    expect(resolveRoute("gpt-4o", [own, defaults]).rule).toBeUndefined();
  });
});
