import { query } from "./auth-client";
import { until } from "./wait";

/**
 * The catalog mirror holds the Hub stand-in's sample: the cron (Miniflare's scheduled trigger) fills it,
 * and other test files may have run it already. For a beforeAll with a 60 s timeout.
 */
export async function catalogReady(platform: string): Promise<void> {
  await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
  await until(
    () => query<{ n: number }>("SELECT count(*) AS n FROM hf_model"),
    (r) => Number(r[0]?.n) >= 400,
    30_000,
    250,
  );
}
