import { describe, expect, it } from "vitest";
import { parsePlanChange } from "../../../workers/admin/plan-body";

describe("admin plan body", () => {
  it("accepts the fixed plans and enterprise with or without a cap", () => {
    expect(parsePlanChange({ plan: "pro" })).toEqual({ ok: true, change: { plan: "pro", monthlyTokens: undefined } });
    expect(parsePlanChange({ plan: "enterprise", monthlyTokens: 123 })).toEqual({ ok: true, change: { plan: "enterprise", monthlyTokens: 123 } });
    expect(parsePlanChange({ plan: "enterprise", monthlyTokens: null })).toEqual({ ok: true, change: { plan: "enterprise", monthlyTokens: null } });
    expect(parsePlanChange({ plan: "enterprise" })).toEqual({ ok: true, change: { plan: "enterprise", monthlyTokens: null } });
  });

  it.each([[{}], [{ plan: "gold" }], [{ plan: "pro", monthlyTokens: 5 }], [{ plan: "enterprise", monthlyTokens: -1 }], [{ plan: "enterprise", monthlyTokens: 1.5 }], [{ plan: "free", extra: 1 }], [null], ["pro"], [[]]])(
    "refuses %j",
    (body) => expect(parsePlanChange(body).ok).toBe(false),
  );
});
