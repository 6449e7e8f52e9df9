import { describe, expect, it } from "vitest";
import { withCatalogPrices } from "../../../workers/deploy/gpu-catalog";
import { findPool, GPU_POOLS } from "../../../workers/deploy/gpu-pools";

describe("live GPU catalog prices", () => {
  it("prices each pool at its dearest card from price.serverless (per GPU-hour), keeping the table's speeds", () => {
    const pools = withCatalogPrices([
      { id: "NVIDIA GeForce RTX 4090", pool: "ADA_24", price: { serverless: 1.44 } },
      { id: "NVIDIA L4", pool: "AMPERE_24", price: { serverless: 0.72 } },
      { id: "NVIDIA RTX A5000", pool: "AMPERE_24", price: { serverless: 0.9 } },
      { id: "NVIDIA H200 NVL", pool: null, price: { serverless: 9 } }, // not in a serverless pool
      { id: "NVIDIA A100 80GB PCIe", pool: "AMPERE_80", price: {} }, // no serverless price: table stands
      { id: "Mystery", pool: "ADA_48_PRO", price: { serverless: -1 } }, // nonsense is ignored
    ]);
    expect(findPool("ADA_24", pools)!.usdPerSecond).toBe(0.0004);
    expect(findPool("AMPERE_24", pools)!.usdPerSecond).toBe(0.00025);
    expect(findPool("AMPERE_80", pools)).toEqual(findPool("AMPERE_80"));
    expect(findPool("ADA_48_PRO", pools)).toEqual(findPool("ADA_48_PRO"));
    expect(findPool("ADA_24", pools)!.bandwidthGBs).toBe(findPool("ADA_24")!.bandwidthGBs);
    expect(pools).toHaveLength(GPU_POOLS.length);
  });
});
