/**
 * What a workspace's usage bills beyond its subscription (pure): the inference markup. Two things are
 * billable, each at its cost plus the markup:
 * - every call served by RunPod (its cost is the GPU time it took at the pool's price), and
 * - the part of any other call that falls beyond the plan's included tokens, counted in ledger order
 *   (time, then request id), so the same ledger always bills the same way.
 * A line's identifier is its usage event's id, which Stripe keeps unique: a line can be sent again and again
 * and is billed once.
 */
export interface LedgerEvent {
  id: string;
  at: number;
  provider: string;
  tokens: number;
  costMicros: number;
}

export interface MeterLine {
  id: string;
  at: number;
  /** Micro-dollars billed (cost share plus markup), the meter event's value. */
  amountMicros: number;
  kind: "gpu" | "overage";
}

export function markedUp(costMicros: number, markupPercent: number): number {
  return Math.round((costMicros * (100 + markupPercent)) / 100);
}

export function meterLines(events: LedgerEvent[], includedTokens: number, markupPercent: number): MeterLine[] {
  const ordered = [...events].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines: MeterLine[] = [];
  let used = 0;
  for (const e of ordered) {
    const before = used;
    used += e.tokens;
    if (e.provider === "runpod") {
      const amount = markedUp(e.costMicros, markupPercent);
      if (amount > 0) lines.push({ id: e.id, at: e.at, amountMicros: amount, kind: "gpu" });
      continue;
    }
    const beyond = Math.max(0, used - Math.max(before, includedTokens));
    if (beyond === 0 || e.tokens === 0) continue;
    const amount = markedUp((e.costMicros * beyond) / e.tokens, markupPercent);
    if (amount > 0) lines.push({ id: e.id, at: e.at, amountMicros: amount, kind: "overage" });
  }
  return lines;
}

/** BILLING_MARKUP_PERCENT, a number from 0 to 1000; 20 when unset or invalid. */
export function markupPercent(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) && n >= 0 && n <= 1000 ? n : 20;
}
