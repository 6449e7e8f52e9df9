import { vi } from "vitest";

/**
 * `fetch` is the PWA's only way out (web/src/lib/ holds every call), so it is the one thing these tests
 * replace: each test says how the platform answers, by method and path, and the screens run their real
 * lib code against that. An answer can be JSON with any status, the platform's `{error: {code, message}}`,
 * a request that never answers (the loading state), a failed connection (what `fetch` does offline
 * without a service-worker copy), or an answer the test releases later.
 */
export interface StubRequest {
  method: string;
  url: URL;
  /** `METHOD /path` without the query, the key routes are looked up by. */
  key: string;
  headers: Headers;
  /** The JSON body sent, parsed; undefined without one. */
  body: unknown;
}

export type Reply =
  | { kind: "response"; status: number; body: string | null; headers: Record<string, string> }
  | { kind: "hang" }
  | { kind: "network" }
  | { kind: "later"; answer: Promise<Reply> };

/** One reply for every call; a function of the request; or a list answered in turn (the last one repeats). */
export type Route = Reply | Reply[] | ((req: StubRequest) => Reply);

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({
  kind: "response",
  status,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

/** A body that is not JSON (a proxy's error page). */
export const text = (body: string, status = 200, headers: Record<string, string> = {}): Reply => ({ kind: "response", status, body, headers: { "content-type": "text/plain", ...headers } });

/** The platform's refusal shape (AppError in workers/errors.ts): the sentence a screen must show. */
export const apiError = (status: number, code: string, message: string): Reply => json({ error: { code, message } }, status);

/** Never answers: the screen stays in its loading state for as long as the test looks. */
export const hang = (): Reply => ({ kind: "hang" });

/** The connection fails (`fetch` rejects with a TypeError, as browsers do offline or when DNS fails). */
export const networkError = (): Reply => ({ kind: "network" });

/** An answer the test gives when it chooses: to see a loading state and then what replaces it. */
export function later(): { reply: Reply; answer: (r: Reply) => void } {
  let answer!: (r: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (answer = resolve));
  return { reply: { kind: "later", answer: promise }, answer };
}

export interface FetchStub {
  /** Every request made, in order. */
  calls: StubRequest[];
  /** The requests to one route (`"GET /api/keys"`). */
  callsTo: (key: string) => StubRequest[];
}

const aborted = () => new DOMException("The operation was aborted.", "AbortError");

/**
 * Installs the stub as the global `fetch` (setup.ts restores the real one after each test). Requests to a
 * route the test did not name answer `otherwise`: by default a 404 in the platform's shape whose message
 * names the request, so a stray call that reaches the screen is obvious in the failure.
 */
export function stubFetch(routes: Record<string, Route> = {}, otherwise?: Reply): FetchStub {
  const turns = new Map<string, number>();
  const calls: StubRequest[] = [];

  const pick = (req: StubRequest): Reply => {
    const route = Object.hasOwn(routes, req.key) ? routes[req.key] : undefined;
    if (route === undefined) return otherwise ?? apiError(404, "not_stubbed", `No stub for ${req.key}`);
    if (typeof route === "function") return route(req);
    if (Array.isArray(route)) {
      const turn = turns.get(req.key) ?? 0;
      turns.set(req.key, turn + 1);
      return route[Math.min(turn, route.length - 1)]!;
    }
    return route;
  };

  const settle = (reply: Reply, signal: AbortSignal | null | undefined): Promise<Response> => {
    if (signal?.aborted) return Promise.reject(aborted());
    switch (reply.kind) {
      case "response":
        // 204 and 304 may not carry a body, even an empty one.
        return Promise.resolve(new Response(reply.status === 204 || reply.status === 304 ? null : reply.body, { status: reply.status, headers: reply.headers }));
      case "network":
        return Promise.reject(new TypeError("Failed to fetch"));
      case "hang":
        return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(aborted())));
      case "later":
        return new Promise((resolve, reject) => {
          signal?.addEventListener("abort", () => reject(aborted()));
          void reply.answer.then((r) => settle(r, signal).then(resolve, reject));
        });
    }
  };

  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const raw = init?.body;
    let body: unknown;
    if (typeof raw === "string") {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const req: StubRequest = { method, url, key: `${method} ${url.pathname}`, headers: new Headers(init?.headers), body };
    calls.push(req);
    return settle(pick(req), init?.signal);
  });
  vi.stubGlobal("fetch", fetch);

  return {
    calls,
    callsTo: (key) => calls.filter((c) => c.key === key),
  };
}
