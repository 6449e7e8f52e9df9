import { describe, expect, it } from "vitest";
import { categorize } from "../../../workers/catalog/categories";
import { verticalById, verticalsFor, type Vertical } from "../../../workers/catalog/verticals";
import { planDeployment } from "../../../workers/deploy/planner";
import { sampleFacts } from "../deploy/sample-facts";
import { sampleInput } from "./sample-input";

const swaggy = verticalsFor("swaggystacks");
const scientia = verticalsFor("scientiacapital");
const byId = (list: Vertical[]) => new Map(list.map((v) => [v.id, v]));

describe("industry verticals", () => {
  it("offers the same four verticals to both brands, each leading with its own audience's", () => {
    expect(swaggy.map((v) => v.id)).toEqual(["content", "ml-research", "finance", "construction"]);
    expect(scientia.map((v) => v.id)).toEqual(["finance", "construction", "ml-research", "content"]);
  });

  it("covers the use cases each vertical promises", () => {
    const ids = Object.fromEntries(swaggy.map((v) => [v.id, v.useCases.map((u) => u.id)]));
    expect(ids).toEqual({
      construction: ["document-analysis", "code-compliance", "safety-regulations"],
      finance: ["sentiment", "risk", "regulatory-documents"],
      "ml-research": ["model-comparison", "paper-analysis", "citation-mapping"],
      content: ["multimodal-generation", "brand-tone", "social-copy"],
    });
  });

  it("words every title, summary, use case and prompt differently per brand, over the same model picks", () => {
    const other = byId(scientia);
    for (const a of swaggy) {
      const b = other.get(a.id)!;
      expect(a.title).not.toBe(b.title);
      expect(a.summary).not.toBe(b.summary);
      expect(a.models).toEqual(b.models);
      a.useCases.forEach((u, i) => {
        const w = b.useCases[i]!;
        expect(w.id).toBe(u.id);
        expect(w.model).toBe(u.model);
        expect(w.title).not.toBe(u.title);
        expect(w.why).not.toBe(u.why);
        expect(w.systemPrompt).not.toBe(u.systemPrompt);
      });
    }
  });

  it("gives every use case a reason, a system prompt and a model from the vertical's picks", () => {
    for (const v of [...swaggy, ...scientia]) {
      expect(v.useCases.length).toBeGreaterThanOrEqual(3);
      const picks = v.models.map((m) => m.model);
      for (const u of v.useCases) {
        expect(u.title.length, `${v.id}/${u.id}`).toBeGreaterThan(5);
        expect(u.why.length, `${v.id}/${u.id}`).toBeGreaterThan(20);
        expect(u.systemPrompt.length, `${v.id}/${u.id}`).toBeGreaterThan(120);
        expect(picks, `${v.id}/${u.id}`).toContain(u.model);
      }
    }
  });

  it("picks distinct real Hub models, each with a one-line why", () => {
    for (const v of swaggy) {
      expect(v.models.length).toBeGreaterThanOrEqual(3);
      expect(new Set(v.models.map((m) => m.model)).size).toBe(v.models.length);
      for (const m of v.models) {
        expect(m.why, m.model).toMatch(/^[^\n]{20,160}$/);
        expect(() => sampleInput(m.model)).not.toThrow();
      }
    }
  });

  // A vertical is a starting point for a deploy: every pick is a text model (chat, vision-language or
  // embeddings) that the planner deploys without a Hugging Face token.
  it("picks only text models that deploy in one tap", () => {
    const models = new Set(swaggy.flatMap((v) => v.models.map((m) => m.model)));
    for (const id of models) {
      const cats = categorize(sampleInput(id));
      expect(cats.some((c) => c === "chat" || c === "vision-language" || c === "embeddings"), `${id}: ${cats}`).toBe(true);
      const result = planDeployment(sampleFacts(id), { hfTokenAvailable: false });
      expect(result.ok, `${id}: ${result.ok ? "" : result.reason}`).toBe(true);
    }
  });

  it("uses a chat-capable model for every use case (its prompt is a system prompt)", () => {
    for (const u of swaggy.flatMap((v) => v.useCases)) {
      const result = planDeployment(sampleFacts(u.model), { hfTokenAvailable: false });
      expect(result.ok && result.plan.kind, u.model).toBe("chat");
    }
  });

  it("finds one vertical by id in the brand's words, and returns fresh objects", () => {
    expect(verticalById("scientiacapital", "finance")).toEqual(byId(scientia).get("finance"));
    expect(verticalById("swaggystacks", "finance")).toEqual(byId(swaggy).get("finance"));
    expect(verticalById("swaggystacks", "mining")).toBeUndefined();
    const mine = verticalsFor("swaggystacks");
    mine[0]!.models.length = 0;
    mine[0]!.title = "changed";
    expect(verticalsFor("swaggystacks")).toEqual(swaggy);
  });
});
