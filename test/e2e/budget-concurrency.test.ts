import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { me, query, signUp, uniqueEmail } from "./auth-client";
import { until } from "./wait";

/**
 * Issue 4's concurrency promise: 100 parallel requests against a small budget, some streaming and hung up on,
 * some failing upstream. The budget is never exceeded, the refused get 429 in their own dialect, failed calls
 * cost nothing, and the ledger equals what was used.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const BUDGET = 5_000;

describe("budget under a mixed burst", () => {
  it("never overspends, refuses in each dialect, bills aborted streams, charges nothing for failures", async () => {
    const user = await signUp(uniqueEmail("burst"));
    const ws = (await me(user.browser)).workspaces[0]!.id;
    await query("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'enterprise', ?, ?)", [ws, BUDGET, Date.now()]);
    const created = await user.browser.fetch("/api/keys", { method: "POST", json: { name: "burst" } });
    const { key } = (await created.json()) as { key: string };
    await fetch(`${sandbox}/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "openai", match: { model: "gpt-4o-mini-burst-fail" }, status: 503 }),
    });
    // A slow model for the streams, so callers can hang up while it is still talking.
    await fetch(`${sandbox}/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "openai", match: { model: "gpt-4o-mini-burst-slow" }, chunkDelayMs: 150 }),
    });

    const openai = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: platform, apiKey: key, maxRetries: 0 });

    // Streams go first and stay open (a slow model), so they are admitted; the callers hang up only after the
    // JSON burst and the failing calls have competed for the rest of the budget.
    let hangUp!: () => void;
    const hangUpSignal = new Promise<void>((r) => (hangUp = r));
    const streamStarted: Array<Promise<void>> = [];
    const streams = Array.from({ length: 20 }, (_, i) => {
      let started!: () => void;
      streamStarted.push(new Promise<void>((r) => (started = r)));
      return (async () => {
        const controller = new AbortController();
        try {
          const stream = await anthropic.messages.create(
            { model: "openai/gpt-4o-mini-burst-slow", max_tokens: 150, stream: true, messages: [{ role: "user", content: `stream ${i} `.repeat(20) }] },
            { signal: controller.signal },
          );
          for await (const event of stream) {
            if (event.type === "content_block_delta") {
              started();
              await hangUpSignal;
              controller.abort();
              break;
            }
          }
          return { kind: "aborted" as const };
        } catch (e) {
          started();
          if (e instanceof Anthropic.APIUserAbortError) return { kind: "aborted" as const };
          return { kind: "err" as const, e };
        }
      })();
    });
    await Promise.all(streamStarted);

    const json = Array.from({ length: 60 }, (_, i) =>
      openai.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 150, messages: [{ role: "user", content: `json ${i}` }] }).then(
        (r) => ({ kind: "ok" as const, tokens: r.usage!.prompt_tokens + r.usage!.completion_tokens }),
        (e) => ({ kind: "err" as const, e }),
      ),
    );
    const failing = Array.from({ length: 20 }, (_, i) =>
      openai.chat.completions.create({ model: "openai/gpt-4o-mini-burst-fail", max_tokens: 100, messages: [{ role: "user", content: `fail ${i}` }] }).then(
        () => ({ kind: "unexpected" as const }),
        (e) => ({ kind: "err" as const, e }),
      ),
    );
    const settledFirst = await Promise.all([...json, ...failing]);
    hangUp();
    const streamResults = await Promise.all(streams);
    const results = [...settledFirst.slice(0, 60), ...streamResults, ...settledFirst.slice(60)];

    const okJson = results.slice(0, 60).filter((r) => r.kind === "ok") as Array<{ tokens: number }>;
    const refusedJson = results.slice(0, 60).filter((r) => r.kind === "err").map((r) => (r as { e: unknown }).e);
    expect(okJson.length).toBeGreaterThan(0);
    expect(refusedJson.length).toBeGreaterThan(0);
    for (const e of refusedJson) {
      expect(e).toBeInstanceOf(OpenAI.RateLimitError);
      expect((e as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("insufficient_quota");
    }
    for (const r of results.slice(60, 80)) {
      if (r.kind === "err") {
        expect(r.e).toBeInstanceOf(Anthropic.RateLimitError);
        expect((r.e as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
      }
    }
    for (const r of results.slice(80)) {
      expect(r.kind).toBe("err");
      const e = (r as { e: unknown }).e as InstanceType<typeof OpenAI.APIError>;
      // Either the upstream's 503 (the call was admitted, then released) or the budget's 429.
      expect([503, 429]).toContain(e.status);
    }

    // Everything settles: no reservation left, the ledger holds every call that used tokens.
    const usage = await until(
      async () => (await (await user.browser.fetch("/api/usage")).json()) as { usedTokens: number; reservedTokens: number },
      (u) => u.reservedTokens === 0,
      15_000,
      150,
    );
    expect(usage.reservedTokens).toBe(0);
    expect(usage.usedTokens).toBeLessThanOrEqual(BUDGET);
    const ledger = await until(
      () => query<{ status: string; tokens: number; n: number }>("select status, sum(input_tokens + output_tokens) as tokens, count(*) as n from usage_event where workspace_id = ? group by status", [ws]),
      (rows) => rows.reduce((n, r) => n + r.tokens, 0) === usage.usedTokens,
      15_000,
      150,
    );
    const byStatus = Object.fromEntries(ledger.map((r) => [r.status, r]));
    expect(ledger.reduce((n, r) => n + r.tokens, 0)).toBe(usage.usedTokens);
    // Completed JSON calls are billed exactly what the upstream reported to the client.
    const completeJsonTokens = okJson.reduce((n, r) => n + r.tokens, 0);
    expect(byStatus.complete!.tokens).toBeGreaterThanOrEqual(completeJsonTokens);
    // Streams the caller abandoned are billed for what was sent, no more than their reservation.
    const abandoned = results.slice(60, 80).filter((r) => r.kind === "aborted").length;
    expect(abandoned).toBeGreaterThan(0);
    expect(byStatus.aborted!.n).toBe(abandoned);
    expect(byStatus.aborted!.tokens).toBeGreaterThan(0);
    // Failed upstream calls cost nothing and leave no ledger rows.
    const failedRows = await query<{ n: number }>("select count(*) as n from usage_event where workspace_id = ? and model like '%burst-fail%'", [ws]);
    expect(failedRows[0]!.n).toBe(0);
  }, 60_000);
});
