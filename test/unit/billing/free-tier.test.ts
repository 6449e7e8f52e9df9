import { describe, expect, it } from "vitest";
import { deployRefusal, FREE_POPULAR_MIN_DOWNLOADS, listedForPlan, PlanModelError, routeForPlan, type PlanAccess } from "../../../workers/billing/free-tier";
import { resolveRoute, type Route } from "../../../workers/gateway/resolve";

const free: PlanAccess = { plan: "free", ownKeys: new Set() };
const freeWithOpenAiKey: PlanAccess = { plan: "free", ownKeys: new Set(["openai"]) };
const pro: PlanAccess = { plan: "pro", ownKeys: new Set() };

const deployed: Route = { requested: "runpod/qwen", targets: [{ provider: "runpod", model: "ep1/Qwen/Qwen3-0.6B", deployment: "qwen" }], baseline: undefined, rule: undefined };

describe("the Free plan serves open models only", () => {
  it("refuses a Western model on the platform's keys, naming the ways out", () => {
    const route = resolveRoute("gpt-4o-mini");
    expect(() => routeForPlan(route, free)).toThrow(PlanModelError);
    try {
      routeForPlan(route, free);
    } catch (err) {
      expect((err as Error).message).toContain("'gpt-4o-mini'");
      expect((err as Error).message).toMatch(/runpod\/<name>.*own provider key.*upgrade to Pro/);
    }
    expect(() => routeForPlan(resolveRoute("anthropic/claude-haiku-4-5"), free)).toThrow(PlanModelError);
    expect(() => routeForPlan(resolveRoute("google/gemini-2.5-flash"), free)).toThrow(PlanModelError);
  });

  it("serves the workspace's own deployments, and Western providers it brought its own key for", () => {
    expect(routeForPlan(deployed, free)).toEqual({ route: deployed, warnings: [] });
    const own = resolveRoute("openai/gpt-4o-mini");
    expect(routeForPlan(own, freeWithOpenAiKey).route.targets).toEqual([{ provider: "openai", model: "gpt-4o-mini" }]);
    // The OpenAI key does not open Anthropic.
    expect(() => routeForPlan(resolveRoute("claude-haiku-4-5"), freeWithOpenAiKey)).toThrow(PlanModelError);
  });

  it("drops Western fallbacks from a mixed route and says so; the Western model stays the savings baseline", () => {
    const route = resolveRoute("gpt-4o", [{ match: "gpt-4o", targets: ["runpod/qwen", "openai/gpt-4o", "anthropic/claude-sonnet-4-5"] }]);
    const { route: kept, warnings } = routeForPlan(route, free);
    expect(kept.targets.map((t) => `${t.provider}/${t.model}`)).toEqual(["runpod/qwen"]);
    expect(kept.baseline).toBe("openai/gpt-4o");
    expect(warnings).toEqual(["fallback to openai/gpt-4o, anthropic/claude-sonnet-4-5 skipped: the Free plan serves open models only"]);
  });

  it("leaves every route alone on paid plans and Enterprise", () => {
    const route = resolveRoute("fallback", [{ match: "fallback", targets: ["openai/gpt-4o", "runpod/qwen"] }]);
    for (const plan of ["pro", "team", "enterprise"] as const) expect(routeForPlan(route, { ...pro, plan })).toEqual({ route, warnings: [] });
  });

  it("lists for a Free workspace only what it may call", () => {
    expect(listedForPlan("runpod", free)).toBe(true);
    expect(listedForPlan("openai", free)).toBe(false);
    expect(listedForPlan("openai", freeWithOpenAiKey)).toBe(true);
    expect(listedForPlan("google", pro)).toBe(true);
  });

  it("deploys popular open models only: at least 100,000 Hub downloads in 30 days", () => {
    expect(FREE_POPULAR_MIN_DOWNLOADS).toBe(100_000);
    expect(deployRefusal("free", "Qwen/Qwen3-0.6B", 7_719_546)).toBeUndefined();
    expect(deployRefusal("free", "org/edge", 100_000)).toBeUndefined();
    expect(deployRefusal("free", "deepseek-ai/deepseek-coder-1.3b-instruct", 92_433)).toBe(
      "The Free plan deploys popular open models (at least 100,000 downloads on the Hub in the last 30 days); it was downloaded 92,433 times in the last 30 days, so deepseek-ai/deepseek-coder-1.3b-instruct needs Pro or above.",
    );
    expect(deployRefusal("free", "org/unknown", undefined)).toContain("the Hub did not say how often it is downloaded");
    for (const plan of ["pro", "team", "enterprise"] as const) expect(deployRefusal(plan, "org/rare", 3)).toBeUndefined();
  });
});
