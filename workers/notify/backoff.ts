/**
 * When a delivery is attempted: the first attempt at once, then after each failure the next delay of the
 * schedule; after the last one the delivery is failed (manual redelivery stays possible). Pure.
 *
 * Default: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts over about 27.6 hours, like
 * Svix). `NOTIFY_RETRY_SCHEDULE_MS` (comma-separated milliseconds, the first usually 0) replaces it, e.g.
 * for tests.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** The schedule from the env value; a malformed value falls back to the default (and says so once). */
export function retrySchedule(raw: string | undefined): readonly number[] {
  if (!raw || !raw.trim()) return DEFAULT_RETRY_SCHEDULE_MS;
  const parts = raw.split(",").map((s) => (s.trim() === "" ? NaN : Number(s.trim())));
  if (!parts.length || parts.length > 20 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 7 * 86_400_000)) return DEFAULT_RETRY_SCHEDULE_MS;
  return parts;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface ScheduleOutcome {
  status: DeliveryStatus;
  /** When the next automatic attempt is due; null when none is. */
  nextAttemptAt: number | null;
}

/**
 * After the scheduled attempt number `made` (1-based) ended at `now`: delivered on success; else the next
 * attempt after schedule[made], or failed when the schedule is used up.
 */
export function afterScheduledAttempt(schedule: readonly number[], made: number, ok: boolean, now: number): ScheduleOutcome {
  if (ok) return { status: "delivered", nextAttemptAt: null };
  const delay = schedule[made];
  if (delay === undefined) return { status: "failed", nextAttemptAt: null };
  return { status: "pending", nextAttemptAt: now + delay };
}

/**
 * A manual redelivery never shortens or extends the schedule: success marks the delivery delivered (and
 * cancels what was scheduled), failure leaves status and schedule as they were.
 */
export function afterManualAttempt(current: ScheduleOutcome, ok: boolean): ScheduleOutcome {
  return ok ? { status: "delivered", nextAttemptAt: null } : current;
}
