import { describe, expect, it } from "vitest";
import { BRANDS } from "../../../workers/brand/brands";
import { assignVariants, controlAssignment, EXPERIMENTS, pickVariant, trackingAllowed, variantConfig, type Experiment } from "../../../workers/funnel/experiments";
import { cookieValue, isAnonId, landingOf, newAnonId } from "../../../workers/funnel/store";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `visitor-${i.toString(36).padStart(6, "0")}`);

describe("variant assignment", () => {
  it("is a pure function of the anonymous id", async () => {
    for (const id of ids(50)) expect(await assignVariants(id)).toEqual(await assignVariants(id));
    const a = await assignVariants("abcdefghijklmnopqrstuv");
    expect(Object.keys(a)).toEqual(EXPERIMENTS.map((e) => e.id));
    for (const e of EXPERIMENTS) expect(e.variants.map((v) => v.id)).toContain(a[e.id]);
  });

  it("splits 10,000 visitors 50/50 in every experiment, independently across experiments", async () => {
    const n = 10_000;
    const counts = new Map<string, number>();
    const joint = new Map<string, number>();
    for (const id of ids(n)) {
      const a = await assignVariants(id);
      for (const [exp, v] of Object.entries(a)) counts.set(`${exp}=${v}`, (counts.get(`${exp}=${v}`) ?? 0) + 1);
      joint.set(`${a.copy}|${a.pricing_order}`, (joint.get(`${a.copy}|${a.pricing_order}`) ?? 0) + 1);
    }
    // Binomial(10,000, 0.5): σ = 50, so ±250 is five standard deviations (the ids are fixed: no flakiness).
    for (const e of EXPERIMENTS) for (const v of e.variants) expect(Math.abs(counts.get(`${e.id}=${v.id}`)! - n / 2), `${e.id}=${v.id}`).toBeLessThan(250);
    // Each of the four copy × pricing-order cells holds a quarter (σ ≈ 43).
    expect(joint.size).toBe(4);
    for (const [cell, c] of joint) expect(Math.abs(c - n / 4), cell).toBeLessThan(220);
  }, 60_000); // 30,000 SHA-256 digests: seconds on a busy 2-core machine

  it("honours uneven weights", async () => {
    const e: Experiment = { id: "weighted", description: "", variants: [{ id: "a", weight: 1 }, { id: "b", weight: 3 }] };
    expect(pickVariant(e, 0)).toBe("a");
    expect(pickVariant(e, 0.2499)).toBe("a");
    expect(pickVariant(e, 0.25)).toBe("b");
    expect(pickVariant(e, 0.999999)).toBe("b");
    let b = 0;
    for (const id of ids(4000)) if ((await assignVariants(id, [e])).weighted === "b") b++;
    // 3/4 of 4,000 = 3,000; σ = √(4000 · 0.75 · 0.25) ≈ 27
    expect(Math.abs(b - 3000)).toBeLessThan(140);
  });

  it("the control is each experiment's first variant", () => {
    expect(controlAssignment()).toEqual({ copy: "tagline", default_model: "brand_default", pricing_order: "ascending" });
  });

  it("means something per brand: headline, default model, plan order", () => {
    expect(variantConfig(BRANDS.scientiacapital, controlAssignment())).toEqual({ headline: null, defaultModel: BRANDS.scientiacapital.defaults.model, pricingOrder: ["free", "pro", "team", "enterprise"] });
    const other = variantConfig(BRANDS.swaggystacks, { copy: "savings", default_model: "budget", pricing_order: "descending" });
    expect(other.headline).toEqual(expect.any(String));
    expect(other.defaultModel).not.toBe(BRANDS.swaggystacks.defaults.model);
    expect(other.pricingOrder).toEqual(["enterprise", "team", "pro", "free"]);
  });
});

describe("privacy", () => {
  it("DNT: 1 and Sec-GPC: 1 turn recording off; anything else leaves it on", () => {
    expect(trackingAllowed(new Headers())).toBe(true);
    expect(trackingAllowed(new Headers({ dnt: "0" }))).toBe(true);
    expect(trackingAllowed(new Headers({ dnt: "1" }))).toBe(false);
    expect(trackingAllowed(new Headers({ DNT: " 1 " }))).toBe(false);
    expect(trackingAllowed(new Headers({ "sec-gpc": "1" }))).toBe(false);
    expect(trackingAllowed(new Headers({ "Sec-GPC": "1", dnt: "0" }))).toBe(false);
  });

  it("anonymous ids are 128 random bits in base64url; anything else in the cookie is ignored", () => {
    const a = newAnonId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(isAnonId(a)).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, newAnonId)).size).toBe(1000);
    for (const bad of [undefined, "", "short", `${a}x`, "a".repeat(21) + "=", "../../etc/passwd....."]) expect(isAnonId(bad)).toBe(false);
    expect(cookieValue(`session=x; fid=${a}; other=1`, "fid")).toBe(a);
    expect(cookieValue("xfid=1; fidx=2", "fid")).toBeUndefined();
    expect(cookieValue(null, "fid")).toBeUndefined();
  });

  it("keeps only the first path segment of the landing page", () => {
    expect(landingOf(undefined)).toBe("/");
    expect(landingOf("/")).toBe("/");
    expect(landingOf("/ide")).toBe("/ide");
    expect(landingOf("/device?user_code=ABCD-EFGH")).toBe("/device");
    expect(landingOf("/invitations/3f2a9c1e-secret-id")).toBe("/invitations");
    expect(landingOf("/Models#top")).toBe("/models");
    expect(landingOf("/%F0%9F%98%80")).toBe("/other");
    expect(landingOf("https://evil.example/x")).toBe("/");
  });
});
