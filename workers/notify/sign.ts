/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, the scheme Svix and many others use, close
 * to Stripe's): each request carries
 *
 *   webhook-id:        the event id (the same on every retry and redelivery: receivers dedupe on it)
 *   webhook-timestamp: Unix seconds of this attempt (receivers refuse old ones: replay protection)
 *   webhook-signature: "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>", one per valid secret,
 *                      space-separated (while a rotated-out secret is still honoured both are sent)
 *
 * Secrets are `whsec_` + base64 of 32 random bytes; the HMAC key is the decoded bytes. Web Crypto only.
 */

export const SECRET_PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function generateSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("webhook secret must start with whsec_");
  return fromBase64(secret.slice(SECRET_PREFIX.length));
}

/** `v1,<base64 signature>` of one message under one secret. */
export async function sign(secret: string, msgId: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${msgId}.${timestampSeconds}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of one attempt, signed with every secret given (current first). */
export async function signatureHeaders(secrets: readonly string[], msgId: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => sign(s, msgId, timestampSeconds, body)));
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signatures.join(" "),
  };
}
