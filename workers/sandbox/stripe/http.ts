/** The HTTP edges of the Stripe stand-in that need no bindings: API-key parsing and response framing. */

/** `Bearer sk_...` or HTTP Basic with the key as user name (what `curl -u sk_...:` sends). */
export function apiKeyFrom(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  const value = rest.join(" ");
  if (!value) return null;
  if (/^bearer$/i.test(scheme ?? "")) return value;
  if (/^basic$/i.test(scheme ?? "")) {
    try {
      const decoded = atob(value);
      const user = decoded.split(":")[0] ?? "";
      return user || null;
    } catch {
      return null;
    }
  }
  return null;
}

/** Stripe pretty-prints its JSON and tags every response with its request id and API version. */
export function stripeJson(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-cache, no-store", ...headers },
  });
}

/** Form bodies only: Stripe's v1 API refuses JSON. */
export function unsupportedContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const base = contentType.split(";")[0]!.trim().toLowerCase();
  if (base === "" || base === "application/x-www-form-urlencoded") return null;
  return base;
}
