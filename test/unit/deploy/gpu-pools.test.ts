import { describe, expect, it } from "vitest";
import { findPool, GPU_POOLS } from "../../../workers/deploy/gpu-pools";

describe("GPU_POOLS", () => {
  it("carries the serverless per-second prices of reference §1.9", () => {
    const prices = Object.fromEntries(GPU_POOLS.map((p) => [p.id, p.usdPerSecond]));
    expect(prices).toMatchObject({
      AMPERE_16: 0.00016, AMPERE_24: 0.00019, ADA_24: 0.00031, AMPERE_48: 0.00034, ADA_48_PRO: 0.00053,
      AMPERE_80: 0.00076, ADA_80_PRO: 0.00116, BLACKWELL_96: 0.00111, HOPPER_141: 0.00155, BLACKWELL_180: 0.0024,
    });
  });

  it("keeps every pool usable by the planner", () => {
    expect(new Set(GPU_POOLS.map((p) => p.id)).size).toBe(GPU_POOLS.length);
    for (const p of GPU_POOLS) {
      expect([1, 2, 4, 8]).toContain(p.maxGpusPerWorker);
      expect(p.memoryGb).toBeGreaterThanOrEqual(16);
      expect(p.bandwidthGBs).toBeGreaterThan(0);
      expect(p.fp16Tflops).toBeGreaterThan(0);
    }
    // Slowest card per pool: L4 (300 GB/s) sets AMPERE_24, A40 (696) sets AMPERE_48, H100 PCIe (2000) sets ADA_80_PRO.
    expect([findPool("AMPERE_24")!.bandwidthGBs, findPool("AMPERE_48")!.bandwidthGBs, findPool("ADA_80_PRO")!.bandwidthGBs]).toEqual([300, 696, 2000]);
    expect(findPool("BLACKWELL_180")!.maxGpusPerWorker).toBe(8);
  });

  it("finds pools by exact id, in a given list too", () => {
    expect(findPool("HOPPER_141")?.memoryGb).toBe(141);
    expect(findPool("hopper_141")).toBeUndefined();
    expect(findPool("AMPERE_16", [])).toBeUndefined();
  });
});
