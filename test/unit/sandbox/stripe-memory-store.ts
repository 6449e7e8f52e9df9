import type { DocStore } from "../../../workers/sandbox/stripe/repo";

/** The SandboxState document store's contract, in memory, for driving the Stripe operations in Node. */
export class MemoryStore implements DocStore {
  private seqs = new Map<string, number>();
  private docs = new Map<string, unknown>();

  async nextSeq(ns: string): Promise<number> {
    const n = (this.seqs.get(ns) ?? 0) + 1;
    this.seqs.set(ns, n);
    return n;
  }
  async getDoc<T>(ns: string, id: string): Promise<T | undefined> {
    const v = this.docs.get(`${ns}:${id}`);
    return v === undefined ? undefined : (structuredClone(v) as T);
  }
  async putDoc<T>(ns: string, id: string, value: T): Promise<T> {
    this.docs.set(`${ns}:${id}`, structuredClone(value));
    return value;
  }
  async listDocs<T>(ns: string, limit = 1000): Promise<T[]> {
    return [...this.docs.entries()]
      .filter(([k]) => k.startsWith(`${ns}:`))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, limit)
      .map(([, v]) => structuredClone(v) as T);
  }
}
