import { describe, expect, it } from "vitest";
import { catalogEntry, findGpuType, GPU_TYPES, gpuTypesInPools, parseCatalogQuery, poolUsdPerHour, SERVERLESS_POOLS } from "../../../workers/sandbox/runpod/gpus";

describe("RunPod GPU catalog", () => {
  it("carries the pools, VRAM and serverless prices of the docs", () => {
    expect(Object.fromEntries(SERVERLESS_POOLS.map((p) => [p.id, p.usdPerSecond]))).toMatchObject({
      AMPERE_16: 0.00016, AMPERE_24: 0.00019, ADA_24: 0.00031, AMPERE_48: 0.00034, ADA_48_PRO: 0.00053,
      AMPERE_80: 0.00076, ADA_80_PRO: 0.00116, BLACKWELL_96: 0.00111, HOPPER_141: 0.00155, BLACKWELL_180: 0.0024,
    });
    expect(poolUsdPerHour("ADA_80_PRO")).toBe(4.176);
    expect(findGpuType("NVIDIA GeForce RTX 4090")).toMatchObject({ name: "RTX 4090", pool: "ADA_24", memory: 24, manufacturer: "NVIDIA", price: { serverless: 1.116 } });
    expect(findGpuType("NVIDIA H100 80GB HBM3")).toMatchObject({ pool: "ADA_80_PRO", memory: 80, price: { serverless: 4.176 } });
    expect(findGpuType("NVIDIA H200")).toMatchObject({ pool: "HOPPER_141", memory: 141, price: { serverless: 5.58 } });
    expect(findGpuType("AMD Instinct MI300X OAM")).toMatchObject({ pool: null, manufacturer: "AMD", memory: 192 });
    expect(findGpuType("AMD Instinct MI300X OAM")?.price.serverless).toBeUndefined();
    expect(gpuTypesInPools(["AMPERE_80"]).map((g) => g.id)).toEqual(["NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"]);
  });

  it("gives every entry the GpuType required keys", () => {
    for (const g of GPU_TYPES) {
      expect(Object.keys(g)).toEqual(expect.arrayContaining(["id", "name", "pool", "manufacturer", "memory", "secure", "community", "price", "maxCount"]));
      if (g.pool) expect(g.price.serverless).toBe(poolUsdPerHour(g.pool));
    }
  });

  it("applies the availability query rules", () => {
    expect(parseCatalogQuery({})).toEqual({ ok: true, availability: false, count: 1 });
    expect(parseCatalogQuery({ include: "AVAILABILITY" })).toMatchObject({ ok: false, status: 400 });
    expect(parseCatalogQuery({ product: "SERVERLESS" })).toMatchObject({ ok: false, status: 400 });
    expect(parseCatalogQuery({ include: "EVERYTHING" })).toMatchObject({ ok: false, status: 422, errors: [`$.include: value must be one of "AVAILABILITY"`] });
    const q = parseCatalogQuery({ include: "AVAILABILITY", product: "SERVERLESS", count: "2" });
    expect(q).toEqual({ ok: true, availability: true, count: 2 });
    const entry = catalogEntry(findGpuType("NVIDIA L40S")!, { availability: true, count: 2 });
    expect(entry.availability).toBe("HIGH");
    expect(entry.dataCenters?.[0]).toEqual({ id: "US-KS-2", name: "US Kansas 2", availability: "HIGH" });
    expect(catalogEntry(findGpuType("NVIDIA L40S")!, { availability: true, count: 16 })).toMatchObject({ availability: "NONE" });
    expect(catalogEntry(findGpuType("NVIDIA L40S")!, { availability: false, count: 1 })).not.toHaveProperty("availability");
  });
});
