import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { attemptWebhook, EXCERPT_BYTES } from "../../../workers/notify/deliver";
import { generateSecret } from "../../../workers/notify/sign";
import { LOCAL_DEV_POLICY, PRODUCTION_POLICY } from "../../../workers/notify/ssrf";

/** The executor with a stand-in fetch: what it sends, what it records, and what it refuses to do. */
const body = JSON.stringify({ id: "evt_1", type: "key.created", data: {} });

function recorder(answer: (req: Request) => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer(new Request(url, init));
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

describe("one webhook attempt", () => {
  it("POSTs the body with signed Standard Webhooks headers, never following redirects", async () => {
    const secret = generateSecret();
    const r = recorder(() => new Response("ok thanks", { status: 200 }));
    const result = await attemptWebhook({ url: "https://example.com/hook", secrets: [secret], msgId: "evt_1", body, policy: PRODUCTION_POLICY, fetch: r.fetch });
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, responseExcerpt: "ok thanks" });
    expect(r.calls).toHaveLength(1);
    const { init } = r.calls[0]!;
    expect(init.method).toBe("POST");
    expect(init.redirect).toBe("manual");
    expect(init.body).toBe(body);
    const headers = init.headers as Record<string, string>;
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["webhook-id"]).toBe("evt_1");
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("a redirect is a failure naming where it pointed (never followed)", async () => {
    const r = recorder(() => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } }));
    const result = await attemptWebhook({ url: "https://example.com/hook", secrets: [generateSecret()], msgId: "e", body, policy: PRODUCTION_POLICY, fetch: r.fetch });
    expect(result.ok).toBe(false);
    expect(result.statusCode).toBe(302);
    expect(result.error).toBe("redirect not followed (302 to http://169.254.169.254/)");
    expect(r.calls).toHaveLength(1);
  });

  it("non-2xx answers fail with the status and a bounded excerpt of the body", async () => {
    const r = recorder(() => new Response("x".repeat(100_000), { status: 500 }));
    const result = await attemptWebhook({ url: "https://example.com/hook", secrets: [generateSecret()], msgId: "e", body, policy: PRODUCTION_POLICY, fetch: r.fetch });
    expect(result).toMatchObject({ ok: false, statusCode: 500, error: "receiver answered 500" });
    expect(result.responseExcerpt).toHaveLength(EXCERPT_BYTES);
  });

  it("connection errors and timeouts are failures without a status", async () => {
    const refused = recorder(() => {
      throw new TypeError("connect ECONNREFUSED");
    });
    const r1 = await attemptWebhook({ url: "https://example.com/hook", secrets: [generateSecret()], msgId: "e", body, policy: PRODUCTION_POLICY, fetch: refused.fetch });
    expect(r1).toMatchObject({ ok: false, statusCode: null, error: "connection failed: connect ECONNREFUSED" });
    const hang = (async (_url: string, init: RequestInit) =>
      new Promise<Response>((_, reject) => init.signal!.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))))) as unknown as typeof fetch;
    const r2 = await attemptWebhook({ url: "https://example.com/hook", secrets: [generateSecret()], msgId: "e", body, policy: PRODUCTION_POLICY, fetch: hang, timeoutMs: 5 });
    expect(r2).toMatchObject({ ok: false, statusCode: null, error: "timed out after 5 ms" });
  });

  it("a target the policy refuses is never fetched", async () => {
    const r = recorder(() => new Response("should not happen"));
    for (const url of ["https://169.254.169.254/", "http://example.com/", "https://[::1]/"]) {
      const result = await attemptWebhook({ url, secrets: [generateSecret()], msgId: "e", body, policy: PRODUCTION_POLICY, fetch: r.fetch });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/^refused target: /);
    }
    expect(r.calls).toHaveLength(0);
    const dev = await attemptWebhook({ url: "http://127.0.0.1:1/", secrets: [generateSecret()], msgId: "e", body, policy: LOCAL_DEV_POLICY, fetch: r.fetch });
    expect(dev.ok).toBe(true);
    expect(r.calls).toHaveLength(1);
  });
});
