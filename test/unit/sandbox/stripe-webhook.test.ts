import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { deliverEvents, eventPayload, signatureHeader, type DeliveryRecord } from "../../../workers/sandbox/stripe/webhook";
import { decideIdempotency, fingerprint, shouldSave, type IdemRecord } from "../../../workers/sandbox/stripe/idempotency";
import { StripeApiError } from "../../../workers/sandbox/stripe/errors";

const SECRET = "whsec_sandbox_local_development_only";
const stripe = new Stripe("sk_test_unit");

describe("webhook signature", () => {
  it("is exactly what stripe.webhooks.constructEvent verifies", async () => {
    const event = { id: "evt_1", object: "event", type: "customer.created", data: { object: { id: "cus_1" } } };
    const payload = eventPayload(event);
    const t = Math.floor(Date.now() / 1000);
    const header = await signatureHeader(payload, SECRET, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(header).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: t }));
    expect(stripe.webhooks.constructEvent(payload, header, SECRET).id).toBe("evt_1");
  });

  it("fails verification for a tampered body or another secret", async () => {
    const payload = eventPayload({ id: "evt_2", object: "event" });
    const header = await signatureHeader(payload, SECRET, Math.floor(Date.now() / 1000));
    expect(() => stripe.webhooks.constructEvent(payload.replace("evt_2", "evt_3"), header, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});

describe("webhook delivery", () => {
  function harness(statuses: Record<string, (number | Error)[]>) {
    const calls: { id: string; sig: string; body: string }[] = [];
    const sleeps: number[] = [];
    const saved = new Map<string, DeliveryRecord>();
    let n = 0;
    const fetchFn = (async (_url: string, init: RequestInit) => {
      const body = String(init.body);
      const id = (JSON.parse(body) as { id: string }).id;
      calls.push({ id, sig: (init.headers as Record<string, string>)["stripe-signature"]!, body });
      const next = statuses[id]?.shift() ?? 200;
      if (next instanceof Error) throw next;
      return new Response("ok", { status: next });
    }) as unknown as typeof fetch;
    const opts = {
      url: "http://hook.test/stripe",
      secret: SECRET,
      backoffMs: [10, 20, 40],
      timeoutMs: 1000,
      fetch: fetchFn,
      sleep: async (ms: number) => void sleeps.push(ms),
      nowMs: () => Date.now(),
      newId: async () => `dlv_${++n}`,
      save: async (r: DeliveryRecord) => void saved.set(r.id, structuredClone(r)),
    };
    return { calls, sleeps, saved, opts };
  }
  const events = [
    { id: "evt_a", type: "customer.created" },
    { id: "evt_b", type: "customer.subscription.created" },
    { id: "evt_c", type: "checkout.session.completed" },
  ];

  it("sends every event once, in order, signed", async () => {
    const h = harness({});
    const records = await deliverEvents(events, h.opts);
    expect(h.calls.map((c) => c.id)).toEqual(["evt_a", "evt_b", "evt_c"]);
    expect(records.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(h.sleeps).toEqual([]);
    for (const c of h.calls) expect(stripe.webhooks.constructEvent(c.body, c.sig, SECRET).id).toBe(c.id);
  });

  it("retries failures with backoff, keeping the original order among retries", async () => {
    const h = harness({ evt_a: [500, 200], evt_b: [new Error("connect ECONNREFUSED")], evt_c: [503, 502, 200] });
    const records = await deliverEvents(events, h.opts);
    expect(h.calls.map((c) => c.id)).toEqual(["evt_a", "evt_b", "evt_c", "evt_a", "evt_b", "evt_c", "evt_c"]);
    expect(h.sleeps).toEqual([10, 20]);
    expect(records.map((r) => [r.event, r.status, r.attempts.map((a) => a.status)])).toEqual([
      ["evt_a", "succeeded", [500, 200]],
      ["evt_b", "succeeded", [null, 200]],
      ["evt_c", "succeeded", [503, 502, 200]],
    ]);
    expect(records[1]!.attempts[0]!.error).toContain("ECONNREFUSED");
    expect(h.saved.get("dlv_3")?.status).toBe("succeeded");
  });

  it("gives up after the last backoff and records the failure", async () => {
    const h = harness({ evt_a: [500, 500, 500, 500] });
    const [record] = await deliverEvents([events[0]!], h.opts);
    expect(record!.status).toBe("failed");
    expect(record!.attempts).toHaveLength(4);
    expect(h.sleeps).toEqual([10, 20, 40]);
  });
});

describe("idempotency decisions", () => {
  const rec: IdemRecord = { method: "POST", path: "/v1/customers", fingerprint: fingerprint({ email: "a@b.co", metadata: { x: "1", y: "2" } }), status: 200, body: "{}", requestId: "req_1", created: 1000 };

  it("replays the same request, regardless of parameter order", () => {
    const fp = fingerprint({ metadata: { y: "2", x: "1" }, email: "a@b.co" });
    expect(decideIdempotency("k", rec, { method: "POST", path: "/v1/customers", fingerprint: fp, now: 1010 })).toEqual({ kind: "replay", record: rec });
  });

  it("refuses other parameters or another endpoint with idempotency_error", () => {
    const other = () => decideIdempotency("k", rec, { method: "POST", path: "/v1/customers", fingerprint: fingerprint({ email: "c@d.co" }), now: 1010 });
    expect(other).toThrow(StripeApiError);
    try {
      other();
    } catch (e) {
      expect((e as StripeApiError).status).toBe(400);
      expect((e as StripeApiError).error.type).toBe("idempotency_error");
      expect((e as StripeApiError).error.message).toContain("can only be used with the same parameters");
    }
    expect(() => decideIdempotency("k", rec, { method: "POST", path: "/v1/products", fingerprint: rec.fingerprint, now: 1010 })).toThrow(/same endpoint/);
  });

  it("forgets keys after 24 hours and does not save validation failures", () => {
    expect(decideIdempotency("k", rec, { method: "POST", path: "/v1/x", fingerprint: "", now: 1000 + 86_401 }).kind).toBe("fresh");
    expect(shouldSave(200)).toBe(true);
    expect(shouldSave(404)).toBe(true);
    expect(shouldSave(400)).toBe(false);
  });
});
