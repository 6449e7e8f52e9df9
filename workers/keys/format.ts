/**
 * API key format (pure): `sk-` + 32 random base62 characters + a 6-character base62 CRC-32 of them.
 * The checksum lets the hot path refuse forged, mistyped and truncated keys without touching storage
 * (as GitHub's tokens do); only the SHA-256 of the whole key is ever stored, with a short display prefix.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX = "sk-";
const BODY_LENGTH = 32;
const CHECK_LENGTH = 6;
export const KEY_LENGTH = KEY_PREFIX.length + BODY_LENGTH + CHECK_LENGTH;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A new key from `random` bytes (crypto.getRandomValues in production; fixed bytes in tests). */
export function generateKey(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  // Rejection sampling keeps every character uniform (256 is not a multiple of 62).
  let body = "";
  while (body.length < BODY_LENGTH) {
    for (const b of random(BODY_LENGTH)) {
      if (b < 248 && body.length < BODY_LENGTH) body += ALPHABET[b % 62];
    }
  }
  return `${KEY_PREFIX}${body}${base62(crc32(body), CHECK_LENGTH)}`;
}

/** Structure and checksum only: true does not mean the key exists. */
export function isWellFormedKey(key: string): boolean {
  if (key.length !== KEY_LENGTH || !key.startsWith(KEY_PREFIX)) return false;
  const body = key.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
  const check = key.slice(KEY_PREFIX.length + BODY_LENGTH);
  for (const ch of body + check) if (!ALPHABET.includes(ch)) return false;
  return base62(crc32(body), CHECK_LENGTH) === check;
}

export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What lists show: enough to recognise a key, useless to an attacker (`sk-AbCd…wxyz`). */
export function displayPrefix(key: string): string {
  return `${key.slice(0, KEY_PREFIX.length + 4)}…${key.slice(-4)}`;
}
