import type { OpenApiDocument } from "./document";
import { clientSamples } from "./samples";

/**
 * GET /docs: the OpenAPI document as a readable, server-rendered reference in the brand's look (pure:
 * document + brand in, HTML out). No script and nothing from another origin: it works offline and under a
 * CSP of `default-src 'none'`. Landmarks (header, nav, main), one h1, h2 per group, h3 per operation.
 */
export interface DocsBrand {
  name: string;
  tagline: string;
  audience: string;
  themeColor: string;
  backgroundColor: string;
  defaultModel: string;
}

type Json = Record<string, unknown>;

const esc = (s: unknown) =>
  String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

function rgb(hex: string): [number, number, number] {
  const h = /^#?([0-9a-f]{6})$/i.exec(hex.trim())?.[1] ?? "777777";
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}
const toHex = (c: number[]) => `#${c.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0")).join("")}`;
const mix = (a: string, b: string, t: number) => toHex(rgb(a).map((v, i) => v + (rgb(b)[i]! - v) * t));
function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

/** Colours from the brand, adjusted until text and links reach WCAG AA (4.5:1) on the background. */
export function palette(brand: Pick<DocsBrand, "themeColor" | "backgroundColor">) {
  const bg = brand.backgroundColor;
  const dark = luminance(bg) < 0.2;
  const text = dark ? "#ececf4" : "#141a26";
  const muted = dark ? "#b9b9c8" : "#3d4656";
  const panel = dark ? mix(bg, "#ffffff", 0.06) : mix(bg, "#000000", 0.04);
  let accent = brand.themeColor;
  for (let i = 1; contrast(accent, bg) < 4.5 && i <= 10; i++) accent = mix(brand.themeColor, dark ? "#ffffff" : "#000000", i / 10);
  for (let i = 1; contrast(accent, panel) < 4.5 && i <= 10; i++) accent = mix(accent, dark ? "#ffffff" : "#000000", 0.1);
  return { bg, text, muted, panel, accent, border: dark ? mix(bg, "#ffffff", 0.18) : mix(bg, "#000000", 0.15) };
}

const METHOD_ORDER = ["get", "post", "put", "patch", "delete", "head", "options"];

function typeOf(s: Json | undefined, doc: OpenApiDocument): string {
  if (!s) return "any";
  if (typeof s.$ref === "string") return typeOf(resolve(s, doc), doc);
  if (s.enum) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  for (const k of ["anyOf", "oneOf"]) if (Array.isArray(s[k])) return [...new Set((s[k] as Json[]).map((x) => typeOf(x, doc)))].join(" | ");
  if (s.type === "array") return `${typeOf(s.items as Json, doc)}[]`;
  if (Array.isArray(s.type)) return (s.type as string[]).join(" | ");
  return typeof s.type === "string" ? s.type : "any";
}

function resolve(s: Json, doc: OpenApiDocument): Json {
  const ref = s.$ref as string | undefined;
  if (!ref?.startsWith("#/components/schemas/")) return s;
  return (doc.components.schemas[ref.slice(21)] as Json | undefined) ?? {};
}

function constraints(s: Json): string {
  const out: string[] = [];
  const pairs: Array<[string, string]> = [["minLength", "min length"], ["maxLength", "max length"], ["minimum", "≥"], ["exclusiveMinimum", ">"], ["maximum", "≤"], ["exclusiveMaximum", "<"], ["minItems", "min items"], ["maxItems", "max items"], ["pattern", "pattern"], ["format", "format"], ["default", "default"]];
  for (const [k, label] of pairs) if (s[k] !== undefined) out.push(`${label} ${typeof s[k] === "string" && k !== "pattern" && k !== "format" ? JSON.stringify(s[k]) : String(s[k])}`);
  return out.join(", ");
}

function fieldsTable(schema: Json | undefined, doc: OpenApiDocument, caption: string): string {
  const s = schema ? resolve(schema, doc) : undefined;
  const props = (s?.properties ?? {}) as Record<string, Json>;
  const names = Object.keys(props);
  if (!names.length) return "";
  const required = new Set((s?.required as string[] | undefined) ?? []);
  const rows = names
    .map((n) => {
      const p = props[n]!;
      return `<tr><th scope="row"><code>${esc(n)}</code></th><td>${esc(typeOf(p, doc))}</td><td>${required.has(n) ? "yes" : "no"}</td><td>${esc([p.description, constraints(p)].filter(Boolean).join("; "))}</td></tr>`;
    })
    .join("");
  const closed = s?.additionalProperties === false ? `<p class="muted">Other fields are refused.</p>` : "";
  return `<div class="scroll"><table><caption>${esc(caption)}</caption><thead><tr><th scope="col">field</th><th scope="col">type</th><th scope="col">required</th><th scope="col">notes</th></tr></thead><tbody>${rows}</tbody></table></div>${closed}`;
}

function curlFor(origin: string, method: string, path: string, op: Json): string {
  const auth = (op["x-auth"] as string[] | undefined) ?? [];
  const headers: string[] = [];
  if (auth.includes("key") || auth.includes("oauth")) headers.push(`-H "Authorization: Bearer $API_KEY"`);
  else if (auth.some((a) => a === "session" || a === "workspace" || a === "admin")) headers.push(`-H "Authorization: Bearer $SESSION_TOKEN"`);
  const body = op.requestBody as Json | undefined;
  const content = body ? Object.keys((body.content ?? {}) as Json)[0] : undefined;
  if (content === "application/json") headers.push(`-H "content-type: application/json" -d @body.json`);
  const m = method.toUpperCase();
  return `curl ${m === "GET" ? "" : `-X ${m} `}"${origin}${path}"${headers.length ? ` \\\n  ${headers.join(" \\\n  ")}` : ""}`;
}

function operationHtml(origin: string, method: string, path: string, op: Json, doc: OpenApiDocument): string {
  const id = `op-${esc(op.operationId)}`;
  const params = ((op.parameters ?? []) as Json[]).map(
    (p) => `<li><code>${esc(p.name)}</code> <span class="muted">(${esc(p.in)}${p.required ? ", required" : ""})</span> ${esc(typeOf(p.schema as Json, doc))}${p.description ? ` — ${esc(p.description)}` : ""}</li>`,
  );
  const body = op.requestBody as Json | undefined;
  const [contentType, media] = body ? (Object.entries((body.content ?? {}) as Json)[0] ?? []) : [];
  const bodySchema = (media as Json | undefined)?.schema as Json | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(([status, r]) => `<li><code>${esc(status)}</code> ${esc(r.description)}</li>`)
    .join("");
  const auth = ((op["x-auth"] ?? []) as string[]).join(" or ");
  return `<article class="op" id="${id}" aria-labelledby="${id}-h">
<h3 id="${id}-h"><span class="method m-${esc(method)}">${esc(method.toUpperCase())}</span> <code class="path">${esc(path)}</code></h3>
<p>${esc(op.summary)}</p>
${op.description ? `<p class="muted">${esc(op.description)}</p>` : ""}
<p class="meta"><span>Auth: <strong>${esc(auth || "none")}</strong></span>${op["x-validated"] ? ` <span>Body validated against the schema below</span>` : ""}</p>
${params.length ? `<h4>Parameters</h4><ul>${params.join("")}</ul>` : ""}
${contentType ? `<h4>Request body <span class="muted">(${esc(contentType)}${body?.required ? "" : ", optional"})</span></h4>${fieldsTable(bodySchema, doc, `Fields of the ${method.toUpperCase()} ${path} body`)}` : ""}
<h4>Responses</h4><ul>${responses}</ul>
<details><summary>curl</summary><pre><code>${esc(curlFor(origin, method, path, op))}</code></pre></details>
</article>`;
}

export function docsPage(doc: OpenApiDocument, brand: DocsBrand, origin: string): string {
  const c = palette(brand);
  const byTag = new Map<string, Array<{ method: string; path: string; op: Json }>>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHOD_ORDER) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ["Other"])[0]!;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  // The bridge first (what most readers came for), then the /api groups alphabetically.
  const bridge = (t: string) => t.startsWith("Bridge:");
  const tags = [...byTag.keys()].sort((a, b) => (bridge(a) === bridge(b) ? a.localeCompare(b) : bridge(a) ? -1 : 1));
  const samples = clientSamples(origin, brand.defaultModel);
  const count = [...byTag.values()].reduce((n, l) => n + l.length, 0);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(brand.name)} API reference</title>
<meta name="description" content="${esc(brand.name)} API reference: the bridge (OpenAI, Anthropic and Gemini dialects) and the /api surface.">
<meta name="theme-color" content="${esc(brand.themeColor)}">
<style>
:root{color-scheme:${luminance(c.bg) < 0.2 ? "dark" : "light"}}
*{box-sizing:border-box}
body{margin:0;background:${c.bg};color:${c.text};font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:${c.accent}}
a:focus-visible,summary:focus-visible{outline:3px solid ${c.accent};outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:${c.panel};padding:.5rem 1rem}
.skip:focus{left:0}
header{border-bottom:4px solid ${brand.themeColor};padding:1.25rem 1rem}
header p{margin:.25rem 0 0;color:${c.muted}}
h1{margin:0;font-size:1.6rem}
.wrap{max-width:72rem;margin:0 auto}
.layout{display:grid;grid-template-columns:1fr;gap:1.5rem;padding:1rem}
.layout>main{min-width:0}
nav.toc ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:0 1.1rem}
nav.toc a{display:inline-block;padding:.35rem 0;min-height:44px;line-height:1.9}
@media (min-width:60rem){.layout{grid-template-columns:15rem 1fr}nav.toc{position:sticky;top:1rem;align-self:start;max-height:calc(100vh - 2rem);overflow:auto}nav.toc ul{display:block}}
section{margin-bottom:2.5rem}
h2{border-bottom:1px solid ${c.border};padding-bottom:.3rem;font-size:1.35rem}
h3{font-size:1.05rem;margin:0 0 .4rem;overflow-wrap:anywhere}
h4{font-size:.95rem;margin:1rem 0 .3rem}
.op{background:${c.panel};border:1px solid ${c.border};border-radius:.5rem;padding:1rem;margin:1rem 0}
.method{display:inline-block;min-width:4.2rem;text-align:center;font:700 .8rem/1.8 ui-monospace,monospace;border:2px solid ${c.accent};border-radius:.3rem;padding:0 .35rem;color:${c.text}}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
pre{background:${c.bg};border:1px solid ${c.border};border-radius:.4rem;padding:.75rem;overflow:auto;white-space:pre}
.muted{color:${c.muted}}
.meta span{margin-right:1rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;color:${c.muted};padding:.25rem 0}
th,td{border:1px solid ${c.border};padding:.35rem .5rem;text-align:left;vertical-align:top}
summary{cursor:pointer;padding:.4rem 0;min-height:44px}
.samples article{margin:1rem 0}
</style></head>
<body>
<a class="skip" href="#main">Skip to the reference</a>
<header><div class="wrap"><h1>${esc(brand.name)} API reference</h1><p>${esc(brand.tagline)}${brand.tagline.toLowerCase().includes(brand.audience.toLowerCase()) ? "" : ` For ${esc(brand.audience)}.`}</p>
<p>Base URL <code>${esc(origin)}</code> · machine-readable: <a href="/api/openapi.json">OpenAPI 3.1 document</a> · ${count} operations</p></div></header>
<div class="wrap layout">
<nav class="toc" aria-label="Contents"><h2 class="muted" style="border:0;font-size:1rem">Contents</h2><ul>
<li><a href="#start">Quick start</a></li>
<li><a href="#errors">Errors and auth</a></li>
${tags.map((t) => `<li><a href="#tag-${slug(t)}">${esc(t)}</a></li>`).join("\n")}
</ul></nav>
<main id="main">
<section id="start" aria-labelledby="start-h" class="samples"><h2 id="start-h">Quick start</h2>
<p>Create a key under Keys (or <code>POST /api/keys</code>), then point your client at <code>${esc(origin)}</code>. Models are <code>provider/model</code>: <code>openai/gpt-4o-mini</code>, <code>anthropic/claude-sonnet-4-5</code>, <code>google/gemini-2.5-flash</code>, <code>runpod/&lt;deployment&gt;</code>.</p>
${samples.map((s) => `<article id="sample-${s.id}" aria-labelledby="sample-${s.id}-h"><h3 id="sample-${s.id}-h">${esc(s.client)}</h3><p class="muted">${esc(s.note)}</p><pre><code data-lang="${esc(s.language)}">${esc(s.code)}</code></pre></article>`).join("\n")}
</section>
<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Errors and auth</h2>
<p>Errors on <code>/api</code> are <code>{"error": {"code", "message", "details"?}}</code>; a body that breaks its schema is <code>400 invalid_request</code> with one <code>{path, message}</code> per problem in <code>details</code>. The bridge answers in the caller's dialect: OpenAI <code>{error: {message, type, param, code}}</code>, Anthropic <code>{type: "error", error: {type, message}}</code>, Gemini <code>{error: {code, message, status}}</code>.</p>
<p>Auth: <strong>session</strong> is the <code>better-auth.session_token</code> cookie or <code>Authorization: Bearer &lt;session token&gt;</code>; <strong>workspace</strong> adds the active workspace (<code>x-workspace-id</code>) and a role that allows the call; <strong>key</strong> is a platform key (<code>Authorization: Bearer</code>, <code>x-api-key</code>, <code>x-goog-api-key</code> or <code>?key=</code>); <strong>admin</strong> is a platform operator.</p>
</section>
${tags
  .map(
    (t) => `<section id="tag-${slug(t)}" aria-labelledby="tag-${slug(t)}-h"><h2 id="tag-${slug(t)}-h">${esc(t)}</h2>
${byTag
  .get(t)!
  .map((o) => operationHtml(origin, o.method, o.path, o.op, doc))
  .join("\n")}
</section>`,
  )
  .join("\n")}
</main></div>
</body></html>`;
}
