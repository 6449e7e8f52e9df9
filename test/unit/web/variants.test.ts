import { describe, expect, it } from "vitest";
import { inPlanOrder, preselectedModel } from "../../../web/src/lib/variants";

describe("the PWA's experiment arms", () => {
  it("pre-selects the default_model arm's model when the workspace may call it, else the first listed", () => {
    const ids = ["runpod/qwen", "openai/gpt-4o-mini", "google/gemini-2.5-flash"];
    expect(preselectedModel(ids, "google/gemini-2.5-flash")).toBe("google/gemini-2.5-flash");
    // A Free workspace's list has no Western models: its own deployment comes first.
    expect(preselectedModel(["runpod/qwen"], "google/gemini-2.5-flash")).toBe("runpod/qwen");
    expect(preselectedModel(ids, undefined)).toBe("runpod/qwen");
    expect(preselectedModel([], "openai/gpt-4o-mini")).toBe("");
  });

  it("orders plan cards by the pricing arm, unknown plans last in their own order", () => {
    const cards = [{ plan: "team" }, { plan: "free" }, { plan: "custom" }, { plan: "pro" }];
    expect(inPlanOrder(cards, ["pro", "team", "free"]).map((c) => c.plan)).toEqual(["pro", "team", "free", "custom"]);
  });
});
