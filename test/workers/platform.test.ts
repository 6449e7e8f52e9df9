import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("D1 migrations", () => {
  it("apply to an empty database and create every better-auth table", async () => {
    const { results } = await env.DB.prepare("select name from sqlite_master where type = 'table' order by name").all<{ name: string }>();
    const names = results.map((r) => r.name);
    for (const table of ["user", "session", "account", "verification", "organization", "member", "invitation", "device_code"]) {
      expect(names).toContain(table);
    }
  });

  it("enforce the schema: unique emails, sessions tied to users", async () => {
    const now = Date.now();
    await env.DB.prepare("insert into user (id, name, email, email_verified, created_at, updated_at) values (?, ?, ?, 0, ?, ?)")
      .bind("u1", "Ada", "ada@example.com", now, now)
      .run();
    await expect(
      env.DB.prepare("insert into user (id, name, email, email_verified, created_at, updated_at) values (?, ?, ?, 0, ?, ?)")
        .bind("u2", "Ada again", "ada@example.com", now, now)
        .run(),
    ).rejects.toThrow(/UNIQUE/);
    await env.DB.prepare("pragma foreign_keys = on").run();
    await expect(
      env.DB.prepare("insert into session (id, expires_at, token, created_at, updated_at, user_id) values ('s1', ?, 't1', ?, ?, 'nobody')")
        .bind(now, now, now)
        .run(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe("worker in workerd", () => {
  it("reports health with live D1 and KV", async () => {
    const res = await SELF.fetch("https://swaggystacks.com/api/health");
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; storage: unknown; brand: string }>();
    expect(body.status).toBe("ok");
    expect(body.storage).toEqual({ d1: "ok", kv: "ok" });
    expect(body.brand).toBe("swaggystacks");
  });

  it("resolves the brand per hostname and sets security headers", async () => {
    const res = await SELF.fetch("https://scientiacapital.com/api/brand");
    expect((await res.json<{ id: string }>()).id).toBe("scientiacapital");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it("echoes a well-formed caller request id and replaces a malformed one", async () => {
    const ok = await SELF.fetch("https://x/api/brand", { headers: { "x-request-id": "trace-1234567890" } });
    expect(ok.headers.get("x-request-id")).toBe("trace-1234567890");
    const bad = await SELF.fetch("https://x/api/brand", { headers: { "x-request-id": "<script>" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("refuses oversized bodies with 413 JSON, before reading them whole", async () => {
    const res = await SELF.fetch("https://x/api/health", { method: "POST", body: new Uint8Array(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });
});

describe("RateLimiter Durable Object", () => {
  it("limits per bucket inside one object and answers 429 through the API", async () => {
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("ip:test"));
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await stub.take("b", 3, 60_000));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfter).toBeGreaterThan(0);
    // Another bucket on the same object is independent.
    expect((await stub.take("other", 3, 60_000)).allowed).toBe(true);
  });

  it("turns a flood from one client into 429s with Retry-After", async () => {
    const ip = "203.0.113.9";
    let last: Response | undefined;
    // Up to twice the limit: the sliding window may straddle a minute boundary, never more than that.
    for (let i = 0; i < 2401; i++) {
      last = await SELF.fetch("https://x/api/brand", { headers: { "cf-connecting-ip": ip } });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another client is unaffected.
    expect((await SELF.fetch("https://x/api/brand", { headers: { "cf-connecting-ip": "203.0.113.10" } })).status).toBe(200);
    // Up to 2,401 requests in a row: seconds on a busy 2-core machine, more than the default 5 s allows.
  }, 30_000);
});
