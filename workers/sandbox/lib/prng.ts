/**
 * A tiny seeded PRNG for sandbox behaviour that should look random yet replay exactly: the whole state is
 * one uint32 that callers store (e.g. in a fault rule), so a test that seeds it gets the same sequence on
 * every run and across sandbox restarts. Mulberry32 mixing: fast, and uniform enough for failure rates.
 */

/** A uint32 seed from text (FNV-1a), for defaults derived from an id. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The next draw in [0, 1) and the state to store for the draw after it. Pure. */
export function nextRandom(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296, state: next };
}
