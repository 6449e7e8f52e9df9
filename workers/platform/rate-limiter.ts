import { DurableObject } from "cloudflare:workers";
import { takeFromWindow, type WindowDecision, type WindowState } from "./rate-window";

/**
 * One instance per client key (e.g. `ip:203.0.113.7`) guarding the public /api surface against floods.
 * State lives only in memory: windows are a minute long, so losing them on eviction merely forgives
 * a minute of traffic, and not writing storage keeps each check to a single in-memory update.
 */
export class RateLimiter extends DurableObject {
  private windows = new Map<string, WindowState>();

  take(bucket: string, limit: number, windowMs: number): Omit<WindowDecision, "state"> {
    const { state, ...decision } = takeFromWindow(this.windows.get(bucket), Date.now(), limit, windowMs);
    this.windows.set(bucket, state);
    return decision;
  }
}
