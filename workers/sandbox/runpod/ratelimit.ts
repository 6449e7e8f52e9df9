/**
 * The IETF ratelimit-headers pair RunPod v2 sends on every response, success included (RP-V2-SPEC
 * `RateLimit`, `RateLimit-Policy`), with the spec's example quotas. The sandbox counts requests in fixed
 * windows so `r` (remaining) and `t` (seconds to reset) move like the real ones, but it never refuses on
 * its own: a 429 comes from a fault rule (`rateLimit` or `status: 429`), so tests decide when.
 */
const WINDOWS = [
  { name: "minute", quota: 60, seconds: 60 },
  { name: "hour", quota: 3000, seconds: 3600 },
  { name: "day", quota: 50_000, seconds: 86_400 },
] as const;

export const RATE_LIMIT_POLICY = WINDOWS.map((w) => `"${w.name}";q=${w.quota};w=${w.seconds}`).join(", ");

export class RateWindows {
  private used = new Map<string, { start: number; count: number }>();

  /** Counts one request at `now` (ms) and returns the `RateLimit` header value after it. */
  hit(now: number): string {
    return WINDOWS.map((w) => {
      const span = w.seconds * 1000;
      const start = Math.floor(now / span) * span;
      const prev = this.used.get(w.name);
      const count = prev && prev.start === start ? prev.count + 1 : 1;
      this.used.set(w.name, { start, count });
      return `"${w.name}";r=${Math.max(0, w.quota - count)};t=${Math.max(1, Math.ceil((start + span - now) / 1000))}`;
    }).join(", ");
  }
}
