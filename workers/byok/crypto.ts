/**
 * Encryption of workspaces' own provider keys at rest: AES-256-GCM with a key derived from ENCRYPTION_KEY
 * (SHA-256 of the secret, so any long random string works) and a fresh 96-bit IV per value. The workspace id
 * is bound as additional data, so a ciphertext copied into another workspace's row does not decrypt.
 */
const enc = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(secret: string): Promise<CryptoKey> {
  let k = keyCache.get(secret);
  if (!k) {
    k = crypto.subtle.digest("SHA-256", enc.encode(secret)).then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keyCache.set(secret, k);
  }
  return k;
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

/** `v1.<iv>.<ciphertext>` in base64; the version lets the scheme change without a data migration. */
export async function sealSecret(secret: string, plaintext: string, boundTo: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(boundTo) }, await aesKey(secret), enc.encode(plaintext));
  return `v1.${b64(iv)}.${b64(new Uint8Array(ct))}`;
}

export async function openSecret(secret: string, sealed: string, boundTo: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("unknown sealed-secret format");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv), additionalData: enc.encode(boundTo) }, await aesKey(secret), unb64(ct));
  return new TextDecoder().decode(plain);
}
