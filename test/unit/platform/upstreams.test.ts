import { describe, expect, it } from "vitest";
import { resolveUpstream, resolveUpstreams, SANDBOX_API_KEY } from "../../../workers/platform/upstreams";

const SANDBOX = "http://127.0.0.1:8790";

describe("resolveUpstream", () => {
  it("points every keyless upstream at its stand-in when a sandbox is configured", () => {
    const all = resolveUpstreams({ SANDBOX_URL: `${SANDBOX}/` });
    expect(all.openai).toEqual({ name: "openai", baseUrl: `${SANDBOX}/openai/v1`, apiKey: SANDBOX_API_KEY, mode: "sandbox" });
    expect(all.anthropic.baseUrl).toBe(`${SANDBOX}/anthropic`);
    expect(all.gemini.baseUrl).toBe(`${SANDBOX}/gemini`);
    expect(all.runpodRest.baseUrl).toBe(`${SANDBOX}/runpod/v2`);
    expect(all.runpodServerless.baseUrl).toBe(`${SANDBOX}/runpod-ai/v2`);
    expect(all.huggingface.baseUrl).toBe(`${SANDBOX}/hf`);
    expect(all.stripe.baseUrl).toBe(SANDBOX);
    expect(Object.values(all).every((u) => u.mode === "sandbox")).toBe(true);
  });

  it("uses the real service at its public URL once a key is set", () => {
    const u = resolveUpstream({ SANDBOX_URL: SANDBOX, OPENAI_API_KEY: "sk-live" }, "openai");
    expect(u).toEqual({ name: "openai", baseUrl: "https://api.openai.com/v1", apiKey: "sk-live", mode: "real" });
  });

  it("honours an explicit URL with a key (a proxy or a self-hosted gateway)", () => {
    const u = resolveUpstream({ ANTHROPIC_API_KEY: "k", UPSTREAM_ANTHROPIC_URL: "https://gw.example.com/anthropic/" }, "anthropic");
    expect(u).toMatchObject({ baseUrl: "https://gw.example.com/anthropic", mode: "real", apiKey: "k" });
  });

  it("still calls it a stand-in when a key is pointed at the sandbox", () => {
    const u = resolveUpstream({ SANDBOX_URL: SANDBOX, GEMINI_API_KEY: "k", UPSTREAM_GEMINI_URL: `${SANDBOX}/gemini` }, "gemini");
    expect(u.mode).toBe("sandbox");
  });

  it("is unconfigured in production without a key, except the Hub which is public", () => {
    expect(resolveUpstream({}, "openai").mode).toBe("unconfigured");
    expect(resolveUpstream({ RUNPOD_API_KEY: "  " }, "runpodRest").mode).toBe("unconfigured");
    expect(resolveUpstream({}, "huggingface")).toMatchObject({ mode: "real", baseUrl: "https://huggingface.co", apiKey: undefined });
  });

  it("shares one RunPod key between the control plane and the runtime", () => {
    const all = resolveUpstreams({ RUNPOD_API_KEY: "rp" });
    expect(all.runpodRest).toMatchObject({ mode: "real", baseUrl: "https://api.runpod.io/v2", apiKey: "rp" });
    expect(all.runpodServerless).toMatchObject({ mode: "real", baseUrl: "https://api.runpod.ai/v2", apiKey: "rp" });
  });
});
