import { describe, expect, it } from "vitest";
import { planDeployment, type PlanOptions, type PlanRefusal } from "../../../workers/deploy/planner";
import { sampleFacts } from "./sample-facts";

const qwen7 = () => sampleFacts("Qwen/Qwen2.5-7B-Instruct");

function refusal(options: PlanOptions, id = "Qwen/Qwen2.5-7B-Instruct"): PlanRefusal {
  const r = planDeployment(sampleFacts(id), options);
  if (r.ok) throw new Error(`expected a refusal, got a plan on ${r.plan.gpu.count} × ${r.plan.gpu.pool}`);
  return r;
}

describe("option validation", () => {
  it.each([
    [{ engine: "tgi" as never }, /Unknown engine "tgi"/],
    [{ gpu: "RTX_9090" }, /Unknown GPU pool "RTX_9090".*AMPERE_16/],
    [{ gpuCount: 3 }, /gpuCount must be 1, 2, 4 or 8/],
    [{ gpuCount: 1.5 }, /gpuCount must be/],
    [{ gpu: "AMPERE_16", gpuCount: 4 }, /AMPERE_16 workers take at most 2 GPUs/],
    [{ maxModelLen: 100 }, /maxModelLen must be a whole number of tokens, at least 256/],
    [{ maxModelLen: 4096.5 }, /maxModelLen/],
    [{ scaling: { workersMax: 11 } }, /workersMax must be a whole number from 0 to 10/],
    [{ scaling: { workersMin: -1 } }, /workersMin must be/],
    [{ scaling: { workersMax: 0 } }, /at least 1/],
    [{ scaling: { workersMin: 3, workersMax: 2 } }, /workersMin \(3\) cannot exceed workersMax \(2\)/],
    [{ scaling: { idleTimeoutSeconds: 0 } }, /idleTimeoutSeconds must be a whole number from 1 to 3600/],
    [{ scaling: { idleTimeoutSeconds: 4000 } }, /idleTimeoutSeconds/],
    [{ scaling: { scaler: "CPU" as never } }, /scaler must be "QUEUE_DELAY" or "REQUEST_COUNT"/],
    [{ scaling: { scalerValue: 0.1 } }, /QUEUE_DELAY scalerValue is seconds from 0.5/],
    [{ scaling: { scaler: "REQUEST_COUNT", scalerValue: 2.5 } }, /REQUEST_COUNT scalerValue is a whole number/],
    [{ scaling: { flashboot: "yes" as never } }, /flashboot must be true or false/],
  ] as [Partial<PlanOptions>, RegExp][])("refuses %j", (options, message) => {
    const r = refusal({ hfTokenAvailable: true, ...options });
    expect(r.code).toBe("invalid_option");
    expect(r.reason).toMatch(message);
  });

  it("checks options before anything about the model", () => {
    // Even a non-text model gets the option error first: it is the caller's mistake to fix.
    expect(refusal({ hfTokenAvailable: true, gpu: "NOPE" }, "stabilityai/stable-diffusion-xl-base-1.0").code).toBe("invalid_option");
  });

  it("refuses a GPU count that doesn't divide the attention heads, naming the ones that do", () => {
    const r = refusal({ hfTokenAvailable: true, gpuCount: 4 }, "Qwen/Qwen2.5-0.5B-Instruct");
    expect(r.code).toBe("invalid_option");
    expect(r.reason).toMatch(/14 attention heads evenly; use 1, 2\./);
  });
});

describe("user-chosen GPUs", () => {
  it("uses the chosen pool with the smallest count that fits", () => {
    const r = planDeployment(sampleFacts("meta-llama/Llama-3.3-70B-Instruct"), { hfTokenAvailable: true, gpu: "AMPERE_80" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 154.6 GiB: 2 × 80 GB gives 144 usable, 4 × gives 288.
    expect([r.plan.gpu.pool, r.plan.gpu.count]).toEqual(["AMPERE_80", 4]);
    expect(r.plan.reasons.join(" ")).toMatch(/the pool you chose/);
  });

  it("refuses a pool the model can't fit on, and says where it would fit", () => {
    const r = refusal({ hfTokenAvailable: true, gpu: "AMPERE_24" }, "meta-llama/Llama-3.3-70B-Instruct");
    expect(r.code).toBe("too_large");
    expect(r.reason).toMatch(/needs about 154\.6 GiB/);
    expect(r.reason).toMatch(/more than 4 × L4 \/ A5000 \/ RTX 3090 · 24 GB \(the most a worker on AMPERE_24 takes\)/);
    expect(r.reason).toMatch(/It fits on 4 × A6000 \/ A40 · 48 GB \(AMPERE_48\) at \$0\.00136\/s/);
  });

  it("refuses a count too small on the chosen pool", () => {
    const r = refusal({ hfTokenAvailable: true, gpu: "AMPERE_80", gpuCount: 1 }, "meta-llama/Llama-3.3-70B-Instruct");
    expect(r.code).toBe("too_large");
    expect(r.reason).toMatch(/more than 1 × A100 · 80 GB provides/);
  });

  it("honours a count alone by picking the cheapest pool at that count", () => {
    const r = planDeployment(sampleFacts("meta-llama/Llama-3.3-70B-Instruct"), { hfTokenAvailable: true, gpuCount: 2 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 2 × RTX PRO 6000 (96 GB) at $0.00222/s is the cheapest pair holding 154.6 GiB.
    expect([r.plan.gpu.pool, r.plan.gpu.count]).toEqual(["BLACKWELL_96", 2]);
  });
});

describe("scaling", () => {
  it("fills defaults and keeps what the user set", () => {
    const r = planDeployment(qwen7(), { hfTokenAvailable: true, scaling: { workersMin: 1, workersMax: 5, idleTimeoutSeconds: 30, scalerValue: 10, flashboot: false } });
    expect(r.ok && r.plan.scaling).toEqual({ workersMin: 1, workersMax: 5, idleTimeoutSeconds: 30, scaler: "QUEUE_DELAY", scalerValue: 10, flashboot: false });
    expect(r.ok && r.plan.warnings.join(" ")).toMatch(/keeps a worker \(and the bill\) running/);
  });

  it("raises the default maximum to the minimum a user asks for", () => {
    const r = planDeployment(qwen7(), { hfTokenAvailable: true, scaling: { workersMin: 4 } });
    expect(r.ok && [r.plan.scaling.workersMin, r.plan.scaling.workersMax]).toEqual([4, 4]);
  });

  it("defaults REQUEST_COUNT to the requests one worker's KV cache holds, and warns about the idle timeout", () => {
    const r = planDeployment(qwen7(), { hfTokenAvailable: true, scaling: { scaler: "REQUEST_COUNT" } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.scaling.scaler).toBe("REQUEST_COUNT");
    expect(r.plan.scaling.scalerValue).toBe(Math.min(30, r.plan.vram.concurrency));
    expect(r.plan.warnings.join(" ")).toMatch(/idle timeout on REQUEST_COUNT/);
  });
});
