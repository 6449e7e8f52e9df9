/**
 * Reads and drops the body of a request the server refuses before reading it (413 on its declared
 * length), up to `limit` bytes. Answering while the client is still sending and then closing makes many
 * HTTP clients (undici, curl) see a broken pipe instead of the answer; consuming the rest first, as HTTP
 * servers' "lingering close" does, lets them read the 413. Past `limit` the stream is cancelled.
 */
export const DRAIN_LIMIT = 32 * 1024 * 1024;

export async function drainBody(req: Request, limit = DRAIN_LIMIT): Promise<void> {
  if (!req.body || req.bodyUsed) return;
  const reader = req.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing left to protect.
  }
}
