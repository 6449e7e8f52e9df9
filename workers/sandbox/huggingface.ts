import { Hono, type Context } from "hono";
import { hubState, type SandboxAppEnv } from "./env";
import { catalogFor, decodeCursor, encodeCursor, listPage, marksAt, seekAll } from "./huggingface/catalog";
import { listItem, modelInfo } from "./huggingface/fields";
import { repoFile } from "./huggingface/files";
import { hexOf } from "./huggingface/hash";
import { withMalformed, type HubOverlay } from "./huggingface/overlay";
import { parseExpand, parseModelQuery } from "./huggingface/query";
import type { HubModel } from "./huggingface/types";

/**
 * Stand-in for the Hugging Face Hub API (https://huggingface.co, mounted at /hf): model search and
 * listing with cursor pagination through an absolute `Link` header, model info (optionally at a
 * revision), raw files under /{repo}/resolve/{rev}/{path}, and whoami-v2. Listing and model info are
 * public as on the Hub; errors carry the Hub's `{"error": ...}` body with X-Error-Code/X-Error-Message.
 * Which catalog is served (the shipped sample or the generated large one) is a sandbox setting; the sample
 * catalog carries the changes made through /_control/hf (created, changed and deleted models, malformed
 * listing entries), which the SandboxState object keeps.
 */

type Ctx = Context<SandboxAppEnv>;

function hubError(status: number, message: string, code?: string): Response {
  // Header values cannot carry the validator's line breaks (or non-Latin-1 like "✖"), so the header gets a flat ASCII form.
  const flat = message.replace(/\s*\n\s*/g, " ").replace(/[^\x20-\x7e]/g, "").trim();
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "x-error-message": flat };
  if (code) headers["x-error-code"] = code;
  return new Response(JSON.stringify({ error: message }), { status, headers });
}

/** The bearer token, "" when absent; undefined when the header is malformed (the Hub rejects those). */
function bearer(c: Ctx): string | undefined {
  const header = c.req.header("authorization");
  if (header === undefined) return "";
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

const invalidCredentials = () => hubError(401, "Invalid credentials in Authorization header");

/** Unknown repos answer 401 to anonymous callers (the Hub won't confirm a private repo exists) and 404 otherwise. */
const repoNotFound = (token: string) => hubError(token ? 404 : 401, "Repository not found", "RepoNotFound");

function revisionMatches(m: HubModel, rev: string): boolean {
  return rev === "main" || rev === "HEAD" || rev === "refs/heads/main" || rev === m.sha;
}

/** The last overlay this isolate received: the state object sends it again only when it changed. */
let overlayCache: HubOverlay | undefined;

async function hub(c: Ctx) {
  const known = overlayCache; // another request may replace the cache while this one waits
  const view = await hubState(c.env).hubView(known?.version);
  const overlay = view.overlay ?? known; // no overlay sent: the one we named is current
  if (view.overlay) overlayCache = view.overlay;
  const large = view.settings.hfCatalog === "large";
  return { catalog: catalogFor(view.settings, overlay), malformed: large ? null : (overlay?.malformed ?? null) };
}

async function catalog(c: Ctx) {
  return (await hub(c)).catalog;
}

async function info(c: Ctx, id: string, rev?: string): Promise<Response> {
  const token = bearer(c);
  if (token === undefined) return invalidCredentials();
  const expand = parseExpand(new URL(c.req.url).searchParams);
  if (!expand.ok) return hubError(400, expand.error);
  const m = (await catalog(c)).lookup(id);
  if (!m) return repoNotFound(token);
  if (rev !== undefined && !revisionMatches(m, rev)) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  return c.json(modelInfo(m, expand.value));
}

async function resolve(c: Ctx): Promise<Response> {
  const token = bearer(c);
  if (token === undefined) return invalidCredentials();
  const { ns, name, rev } = c.req.param() as { ns: string; name: string; rev: string };
  const path = c.req.param("path") ?? "";
  const id = `${ns}/${name}`;
  const m = (await catalog(c)).lookup(id);
  if (!m) return repoNotFound(token);
  if (!revisionMatches(m, rev)) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  if (m.gated && !token) {
    return hubError(401, `Access to model ${m.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`, "GatedRepo");
  }
  const file = repoFile(m, path);
  if (!file) return hubError(404, "Entry not found", "EntryNotFound");
  const headers: Record<string, string> = { "content-type": file.contentType, etag: file.etag, "x-repo-commit": m.sha, "accept-ranges": "bytes" };
  if (file.placeholder) headers["x-linked-size"] = String(file.size);
  const bytes = new TextEncoder().encode(file.body);
  const range = byteRange(c.req.header("range"), bytes.length);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${bytes.length}` } });
  }
  const [status, body] = range ? [206, bytes.slice(range[0], range[1] + 1)] : [200, bytes];
  if (range) headers["content-range"] = `bytes ${range[0]}-${range[1]}/${bytes.length}`;
  return new Response(c.req.method === "HEAD" ? null : body, { status, headers });
}

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range (what the Hub clients send), clamped to the body. */
function byteRange(header: string | undefined, length: number): [number, number] | "unsatisfiable" | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, length - Number(m[2]));
    end = length - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? length - 1 : Math.min(Number(m[2]), length - 1);
  }
  return start >= length || start > end ? "unsatisfiable" : [start, end];
}

async function tree(c: Ctx): Promise<Response> {
  const token = bearer(c);
  if (token === undefined) return invalidCredentials();
  const { ns, name, rev } = c.req.param() as { ns: string; name: string; rev: string };
  const m = (await catalog(c)).lookup(`${ns}/${name}`);
  if (!m) return repoNotFound(token);
  if (!revisionMatches(m, rev)) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  const dir = (c.req.param("path") ?? "").replace(/\/$/, "");
  const prefix = dir ? `${dir}/` : "";
  const recursive = ["1", "true"].includes(c.req.query("recursive") ?? "");
  const entries: Array<Record<string, unknown>> = [];
  const dirs = new Set<string>();
  for (const s of m.siblings) {
    if (!s.rfilename.startsWith(prefix)) continue;
    const rest = s.rfilename.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash >= 0 && !recursive) {
      const d = prefix + rest.slice(0, slash);
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ type: "directory", oid: hexOf(`tree:${m.sha}:${d}`, 40), size: 0, path: d });
      }
      continue;
    }
    const oid = hexOf(`blob:${m.sha}:${s.rfilename}`, 40);
    const lfs = /\.(safetensors|gguf|bin|pth|pt|nemo|ckpt|onnx)$/.test(s.rfilename) ? { lfs: { oid: hexOf(`lfs:${m.id}:${s.rfilename}`, 64), size: s.size, pointerSize: 135 } } : {};
    entries.push({ type: "file", oid, size: s.size, ...lfs, path: s.rfilename });
  }
  if (dir && entries.length === 0) return hubError(404, `Entry not found`, "EntryNotFound");
  return c.json(entries);
}

export const huggingfaceRoutes = new Hono<SandboxAppEnv>()
  .use("*", async (c, next) => {
    await next();
    c.res.headers.set("x-request-id", `Root=1-${hexOf(`${c.req.method} ${c.req.url}`, 8)}-${hexOf(c.req.url, 24)}`);
  })
  .get("/api/whoami-v2", (c) => {
    const token = bearer(c);
    if (!token) return hubError(401, "Invalid username or password.");
    return c.json({
      type: "user", id: hexOf(`user:${token}`, 24), name: "sandbox-user", fullname: "Sandbox User", email: "sandbox-user@example.com",
      emailVerified: true, canPay: false, isPro: false, periodEnd: null, avatarUrl: "/avatars/sandbox-user.svg", billingMode: "postpaid", orgs: [],
      auth: { type: "access_token", accessToken: { displayName: "sandbox", role: "read", createdAt: "2026-01-01T00:00:00.000Z" } },
    });
  })
  .get("/api/models", async (c) => {
    if (bearer(c) === undefined) return invalidCredentials();
    const url = new URL(c.req.url);
    const parsed = parseModelQuery(url.searchParams);
    if (!parsed.ok) return hubError(400, parsed.error);
    const q = parsed.value;
    const { catalog, malformed } = await hub(c);
    const streams = catalog.streams(q.sort);
    let positions: number[] | undefined;
    if (q.cursor) {
      const marks = decodeCursor(q.cursor, q.sort, streams.length);
      positions = marks && seekAll(streams, marks);
      if (!positions) return hubError(400, "✖ Invalid cursor\n  → at cursor");
    }
    const page = listPage(streams, q, positions);
    if (page.next) {
      const next = new URL(url.origin + url.pathname);
      for (const [k, v] of url.searchParams) if (k !== "cursor") next.searchParams.append(k, v);
      next.searchParams.set("cursor", encodeCursor({ sort: q.sort, pos: marksAt(streams, page.next) }));
      c.header("link", `<${next.toString()}>; rel="next"`);
    }
    const items = page.items.map((m) => listItem(m, q));
    return c.json(withMalformed(items, malformed, { first: !q.cursor, last: !page.next }));
  })
  .get("/api/models/:ns/:name/revision/:rev", (c) => info(c, `${c.req.param("ns")}/${c.req.param("name")}`, c.req.param("rev")))
  .get("/api/models/:ns/:name/tree/:rev", tree)
  .get("/api/models/:ns/:name/tree/:rev/:path{.+}", tree)
  .get("/api/models/:ns/:name", (c) => info(c, `${c.req.param("ns")}/${c.req.param("name")}`))
  .get("/api/models/:name", (c) => info(c, c.req.param("name")))
  .get("/:ns/:name/resolve/:rev/:path{.+}", resolve)
  .get("/:ns/:name/raw/:rev/:path{.+}", resolve);
