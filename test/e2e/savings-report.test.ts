import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall as api, me, query, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * The monthly savings report (GET /api/reports/savings, JSON and CSV) over real bridge calls made with the
 * OpenAI SDK: one to a Western model by name (no saving) and one to a name the workspace's bridge map sends
 * to a cheaper model (saving against the Western model it named). The report must add up to /api/usage.
 */
const platform = inject("platformUrl");
const openai = (key: string) => new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });

let alice: SignedUp;
let aliceWs = "";
let aliceSlug = "";
const CALLS = 4;

interface Figures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  spent: { micros: number; usd: string };
  baseline: { micros: number; usd: string };
  saved: { micros: number; usd: string };
  savedPercent: number;
}

const cents = (micros: number) => (Math.round(micros / 10_000) / 100).toFixed(2);
const nowMonth = () => new Date().toISOString().slice(0, 7);
function monthsFromNow(delta: number): string {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1));
  return m.toISOString().slice(0, 7);
}

/** RFC 4180 records (quoted fields may hold commas, quotes, line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      (row = []), (field = ""), i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

beforeAll(async () => {
  alice = await signUp(uniqueEmail("savings-alice"));
  const ws = (await me(alice.browser)).workspaces[0]!;
  aliceWs = ws.id;
  aliceSlug = ws.slug;
  // No monthly token cap, so the long prompts below are not refused by the free plan's budget.
  await query("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'enterprise', null, ?)", [aliceWs, Date.now()]);
  // Calls naming claude-sonnet-4-5 are served by the much cheaper gpt-4o-mini; the saving is against Sonnet.
  const map = await api(alice, "PUT", "/api/bridge", { rules: [{ match: "claude-sonnet-4-5", targets: ["openai/gpt-4o-mini"] }] });
  expect(map.status).toBe(200);
  const created = await api(alice, "POST", "/api/keys", { name: "savings test" });
  expect(created.status).toBe(201);
  const client = openai(created.body.key as string);
  // About 10,000 prompt tokens each (the stand-ins count four characters a token), so amounts reach cents.
  const prompt = (i: number) => `call ${i}: ${"the quick brown fox jumps over the lazy dog ".repeat(900)}`;
  const savings: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const model = i % 2 === 0 ? "gpt-4o" : "claude-sonnet-4-5";
    const { response } = await client.chat.completions.create({ model, max_tokens: 50, messages: [{ role: "user", content: prompt(i) }] }).withResponse();
    savings.push(Number(response.headers.get("x-savings-usd")));
  }
  expect(savings[0]).toBe(0); // a Western model by name replaces nothing
  expect(savings[1]).toBeGreaterThan(0.01);
  // The ledger reaches D1 from the BudgetObject's outbox.
  await until(
    () => query<{ n: number }>("select coalesce(sum(requests), 0) as n from usage_daily where workspace_id = ?", [aliceWs]),
    (r) => r[0]!.n === CALLS,
    10_000,
  );
}, 60_000);

describe("monthly savings report", () => {
  it("adds up to /api/usage: totals and by model, baseline = spent + saved", async () => {
    const [report, usage] = await Promise.all([api(alice, "GET", "/api/reports/savings"), api(alice, "GET", "/api/usage")]);
    expect(report.status).toBe(200);
    expect(usage.status).toBe(200);
    const r = report.body as { period: { month: string; complete: boolean }; totals: Figures; byModel: Array<Figures & { provider: string; model: string }>; byDay: Array<Figures & { day: string }>; summary: string; workspace: { id: string; slug: string }; csvUrl: string };
    expect(r.period).toMatchObject({ month: nowMonth(), complete: false });
    expect(r.workspace).toMatchObject({ id: aliceWs, slug: aliceSlug });

    const u = usage.body as { costUsd: number; savingsUsd: number; byModel: Array<{ model: string; requests: number; inputTokens: number; outputTokens: number; costUsd: number; savingsUsd: number }> };
    expect(r.totals.requests).toBe(CALLS);
    expect(r.totals.spent.micros).toBe(Math.round(u.costUsd * 1e6));
    expect(r.totals.saved.micros).toBe(Math.round(u.savingsUsd * 1e6));
    expect(r.totals.baseline.micros).toBe(r.totals.spent.micros + r.totals.saved.micros);
    expect(r.totals.inputTokens).toBe(u.byModel.reduce((n, m) => n + m.inputTokens, 0));
    expect(r.totals.outputTokens).toBe(u.byModel.reduce((n, m) => n + m.outputTokens, 0));
    expect(r.totals.saved.micros).toBeGreaterThan(10_000);
    expect(r.totals.spent.usd).toBe(cents(r.totals.spent.micros));
    expect(r.totals.savedPercent).toBe(Math.round((r.totals.saved.micros / r.totals.baseline.micros) * 1000) / 10);

    // By model, against /api/usage's own breakdown.
    expect(r.byModel.map((m) => `${m.provider}/${m.model}`).sort()).toEqual(u.byModel.map((m) => m.model).sort());
    for (const m of r.byModel) {
      const same = u.byModel.find((x) => x.model === `${m.provider}/${m.model}`)!;
      expect(m.requests).toBe(same.requests);
      expect(m.spent.micros).toBe(Math.round(same.costUsd * 1e6));
      expect(m.saved.micros).toBe(Math.round(same.savingsUsd * 1e6));
    }
    const direct = r.byModel.find((m) => m.model === "gpt-4o")!;
    const mapped = r.byModel.find((m) => m.model === "gpt-4o-mini")!;
    expect(direct.saved.micros).toBe(0);
    expect(direct.baseline.micros).toBe(direct.spent.micros);
    expect(mapped.saved.micros).toBeGreaterThan(mapped.spent.micros); // Sonnet costs ~20× gpt-4o-mini
    expect(r.byDay.reduce((n, d) => n + d.spent.micros, 0)).toBe(r.totals.spent.micros);
    expect(r.summary).toMatch(/^So far in \w+ \d{4} your workspace has spent \$\d+\.\d\d; the same traffic on Western models would have cost \$\d+\.\d\d: you have saved \$\d+\.\d\d \(\d+(\.\d)?%\)\.$/);
    expect(r.csvUrl).toBe(`/api/reports/savings?month=${nowMonth()}&format=csv`);
  });

  it("downloads the month as CSV: attachment named for the workspace, a line per model and the total", async () => {
    const json = (await api(alice, "GET", `/api/reports/savings?month=${nowMonth()}`)).body as { totals: Figures; byModel: Array<Figures & { provider: string; model: string }> };
    const res = await alice.browser.fetch(`/api/reports/savings?month=${nowMonth()}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="savings-${aliceSlug}-${nowMonth()}.csv"`);
    const text = await res.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["month", "provider", "model", "requests", "input_tokens", "output_tokens", "spent_usd", "baseline_usd", "saved_usd", "saved_percent"]);
    expect(rows).toHaveLength(1 + json.byModel.length + 1);
    const total = rows.at(-1)!;
    const t = json.totals;
    expect(total).toEqual([nowMonth(), "Total", "", String(t.requests), String(t.inputTokens), String(t.outputTokens), cents(t.spent.micros), cents(t.baseline.micros), cents(t.saved.micros), t.savedPercent.toFixed(1)]);
    expect(Number(total[8])).toBeGreaterThan(0);
    for (const m of json.byModel) {
      const line = rows.find((r) => r[1] === m.provider && r[2] === m.model)!;
      expect(line.slice(3, 9)).toEqual([String(m.requests), String(m.inputTokens), String(m.outputTokens), m.spent.usd, m.baseline.usd, m.saved.usd]);
    }
  });

  it("lists the months with usage, reports a past month from the ledger, and quotes odd model names in its CSV", async () => {
    const past = monthsFromNow(-1);
    // A month before this test ran, written straight into the roll-up (the bridge only writes today).
    await query(
      "insert into usage_daily (workspace_id, day, provider, model, key_id, requests, input_tokens, output_tokens, cost_micros, savings_micros) values (?, ?, 'runpod', ?, '', 3, 900, 300, 120000, 2880000)",
      [aliceWs, `${past}-15`, 'ep1/qwen "coder", 7b'],
    );
    const months = await api(alice, "GET", "/api/reports/savings/months");
    expect(months.status).toBe(200);
    expect(months.body).toEqual({ current: nowMonth(), months: [nowMonth(), past] });

    const report = await api(alice, "GET", `/api/reports/savings?month=${past}`);
    expect(report.status).toBe(200);
    expect(report.body.period).toMatchObject({ month: past, complete: true });
    expect(report.body.totals).toMatchObject({ requests: 3, spent: { micros: 120_000, usd: "0.12" }, baseline: { micros: 3_000_000, usd: "3.00" }, saved: { micros: 2_880_000, usd: "2.88" }, savedPercent: 96 });
    expect(report.body.summary).toMatch(/your workspace spent \$0\.12; the same traffic on Western models would have cost \$3\.00: you saved \$2\.88 \(96%\)\.$/);

    const csv = await api(alice, "GET", `/api/reports/savings?month=${past}&format=csv`);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="savings-${aliceSlug}-${past}.csv"`);
    expect(csv.body).toContain(`${past},runpod,"ep1/qwen ""coder"", 7b",3,900,300,0.12,3.00,2.88,96.0\r\n`);
    expect(parseCsv(csv.body as string)[1]![2]).toBe('ep1/qwen "coder", 7b');
  });

  it("answers an empty report for a month before the workspace existed", async () => {
    const res = await api(alice, "GET", "/api/reports/savings?month=2001-01");
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ requests: 0, spent: { micros: 0, usd: "0.00" }, saved: { micros: 0 } });
    expect(res.body.byModel).toEqual([]);
    expect(res.body.summary).toBe("In January 2001 your workspace made no calls through the bridge.");
    const csv = await api(alice, "GET", "/api/reports/savings?month=2001-01&format=csv");
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.body as string)).toEqual([
      ["month", "provider", "model", "requests", "input_tokens", "output_tokens", "spent_usd", "baseline_usd", "saved_usd", "saved_percent"],
      ["2001-01", "Total", "", "0", "0", "0", "0.00", "0.00", "0.00", "0.0"],
    ]);
  });

  it("refuses malformed and future months, and unknown formats, with 400", async () => {
    for (const month of ["2026-13", "2026-1", "last-month", "2026-11-01", monthsFromNow(1)]) {
      const res = await api(alice, "GET", `/api/reports/savings?month=${encodeURIComponent(month)}`);
      expect(res.status, month).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toMatch(month === monthsFromNow(1) ? /in the future/ : /YYYY-MM/);
    }
    const bad = await api(alice, "GET", "/api/reports/savings?format=pdf");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/json or csv/);
  });

  it("keeps workspaces apart: another one's report has none of these calls and cannot name this one", async () => {
    const bob = await signUp(uniqueEmail("savings-bob"));
    const mine = await api(bob, "GET", "/api/reports/savings");
    expect(mine.status).toBe(200);
    expect(mine.body.workspace.id).not.toBe(aliceWs);
    expect(mine.body.totals.requests).toBe(0);
    expect(mine.body.byModel).toEqual([]);
    expect((await api(bob, "GET", "/api/reports/savings/months")).body.months).toEqual([]);
    expect((await api(bob, "GET", "/api/reports/savings", undefined, { "x-workspace-id": aliceWs })).status).toBe(404);
    expect((await api(bob, "GET", "/api/reports/savings?format=csv", undefined, { "x-workspace-id": aliceWs })).status).toBe(404);
  });

  it("is readable with an API key that has mcp:read, not with a bridge-only key, and not signed out", async () => {
    const reader = await api(alice, "POST", "/api/keys", { name: "report reader", scopes: ["mcp:read"] });
    const bridgeOnly = await api(alice, "POST", "/api/keys", { name: "bridge only" });
    const withKey = (key: string, path: string) => fetch(`${platform}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const ok = await withKey(reader.body.key, "/api/reports/savings");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { totals: Figures }).totals.requests).toBe(CALLS);
    expect((await withKey(reader.body.key, "/api/reports/savings?format=csv")).status).toBe(200);
    const refused = await withKey(bridgeOnly.body.key, "/api/reports/savings");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");
    expect((await fetch(`${platform}/api/reports/savings`)).status).toBe(401);
  });
});
