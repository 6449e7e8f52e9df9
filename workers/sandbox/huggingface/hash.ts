/**
 * Small deterministic hashes: every "random-looking" value of the Hub stand-in (ids, shas, jitter) comes
 * from these, so the sample file and the generated catalog are identical on every run and machine.
 */

/** 32-bit FNV-1a of a string. */
export function fnv1a(input: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 16777619) >>> 0;
  return h >>> 0;
}

/** A well-mixed 32-bit value from an integer (murmur3 finaliser); `salt` picks an independent stream. */
export function mix32(n: number, salt = 0): number {
  let h = (Math.imul(n | 0, 0x9e3779b1) ^ Math.imul(salt | 0, 0x85ebca6b) ^ ((n / 4294967296) | 0)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A float in [0, 1) from an integer and a salt. */
export function unit(n: number, salt = 0): number {
  return mix32(n, salt) / 4294967296;
}

/** `length` lowercase hex characters derived from `input` (git shas, Mongo-style ids). */
export function hexOf(input: string, length: number): string {
  let out = "";
  let h = fnv1a(input);
  for (let round = 0; out.length < length; round++) {
    h = mix32(h, round + 1);
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, length);
}

/** A Hub-style `_id`: like a MongoDB ObjectId, its first 8 hex digits are the creation time in seconds. */
export function objectId(repoId: string, createdAt: string): string {
  const seconds = Math.floor(Date.parse(createdAt) / 1000);
  return seconds.toString(16).padStart(8, "0").slice(-8) + hexOf(`oid:${repoId}`, 16);
}
