import { describe, expect, it } from "vitest";
import { drainBody } from "../../../workers/platform/drain";

function streamOf(chunks: number, size: number, onCancel: () => void, pulled: { n: number }) {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.n >= chunks) return controller.close();
      pulled.n++;
      controller.enqueue(new Uint8Array(size));
    },
    cancel: onCancel,
  });
}

describe("drainBody", () => {
  it("reads a refused body to its end, so the client can read the answer", async () => {
    const pulled = { n: 0 };
    let cancelled = false;
    const req = new Request("http://x/", { method: "POST", body: streamOf(8, 1024, () => (cancelled = true), pulled), duplex: "half" } as RequestInit);
    await drainBody(req, 1 << 20);
    expect(pulled.n).toBe(8);
    expect(cancelled).toBe(false);
  });

  it("stops reading, and cancels, past its limit", async () => {
    const pulled = { n: 0 };
    let cancelled = false;
    const req = new Request("http://x/", { method: "POST", body: streamOf(1000, 1024, () => (cancelled = true), pulled), duplex: "half" } as RequestInit);
    await drainBody(req, 10 * 1024);
    expect(pulled.n).toBeLessThan(20);
    expect(cancelled).toBe(true);
  });
});
