import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, operatorAccount, signUp, type SignedUp, uniqueEmail } from "./auth-client";
import { getWithHost } from "./host-request";

/**
 * GET /api/openapi.json and /docs on the running platform, per brand; the document validates against the
 * official OpenAPI 3.1 schema; and every JSON body the platform validates is attacked with requests the
 * document itself forbids (derived from the document: a required property left out, a property of the
 * wrong type, one past its bounds or outside its enum, an unknown property where the object is closed).
 * ajv confirms the document forbids each one, then the platform must refuse it with a 400 that names the
 * same property and the same kind of constraint.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const platform = inject("platformUrl");
const port = new URL(platform).port;

async function documentFor(host: string): Promise<Json> {
  const res = await getWithHost(platform, host, "/api/openapi.json");
  expect(res.status).toBe(200);
  expect(String(res.headers["content-type"])).toContain("application/json");
  return JSON.parse(res.text) as Json;
}

let doc: Json;
beforeAll(async () => {
  doc = await documentFor("swaggystacks.localhost");
});

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document for each brand, with the brand's title and origin", async () => {
    for (const [host, name] of [
      ["swaggystacks.localhost", "SwaggyStacks"],
      ["scientiacapital.localhost", "ScientiaCapital"],
    ] as const) {
      const d = host === "swaggystacks.localhost" ? doc : await documentFor(host);
      const result = await new Validator().validate(d as never);
      expect(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 3000)).toBe(true);
      expect(d.openapi).toBe("3.1.0");
      expect(d.info.title).toBe(`${name} API`);
      expect(d.servers[0].url).toBe(`http://${host}:${port}`);
      expect(d.servers.map((s: Json) => s.url)).toContain(`https://${name.toLowerCase()}.com`);
    }
  });

  it("describes the /api surface and the bridge in its three dialects", () => {
    const ops = Object.entries(doc.paths as Json).flatMap(([p, item]) => Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.length).toBeGreaterThan(100);
    for (const op of ["POST /v1/chat/completions", "POST /v1/messages", "POST /v1beta/models/{model}:generateContent", "POST /api/keys", "GET /api/usage", "PUT /api/bridge", "POST /api/auth/sign-in/email", "POST /webhooks/stripe"]) {
      expect(ops).toContain(op);
    }
    const chat = doc.paths["/v1/chat/completions"].post;
    expect(chat.security).toEqual([{ bearerAuth: [] }]);
    expect(chat.responses.default.content["application/json"].schema.$ref).toBe("#/components/schemas/OpenAIError");
    expect(doc.paths["/v1/messages"].post.responses.default.content["application/json"].schema.$ref).toBe("#/components/schemas/AnthropicError");
    expect(doc.paths["/v1beta/models/{model}:generateContent"].post.security).toEqual([{ googApiKey: [] }, { googKeyQuery: [] }]);
    // The bridge's bodies are its dialect schemas: the OpenAI one requires model and messages.
    const chatBody = doc.components.schemas[chat.requestBody.content["application/json"].schema.$ref.split("/").pop()];
    expect(chatBody.required).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(doc.paths["/api/keys"].post.responses.default.content["application/json"].schema.$ref).toBe("#/components/schemas/ApiError");
  });
});

// ---------------------------------------------------------------- forbidden requests

interface Forbidden {
  label: string;
  body: unknown;
  /** the property path the platform must name, dot-joined as in `details[].path` */
  path: string;
  /** what the platform's message for it must say */
  message: RegExp;
}

const resolveRef = (s: Json): Json => (typeof s?.$ref === "string" ? resolveRef(doc.components.schemas[s.$ref.split("/").pop()!]) : s);

/** A value of the wrong JSON type for a schema. */
function wrongType(s: Json): unknown {
  const types = new Set<string>([s.type, ...(s.anyOf ?? []).map((x: Json) => resolveRef(x).type)].flat().filter(Boolean));
  if (!types.size) return undefined; // anything goes
  if (!types.has("boolean")) return true;
  if (!types.has("string")) return "not-a-number";
  return 12345;
}

/** zod names a property limited to fixed values by those values, whatever the wrong value was. */
const ENUM_MESSAGE = /invalid option|expected one of|invalid input: expected "/i;
const isEnum = (p: Json) => Array.isArray(p.enum) || p.const !== undefined;

/**
 * Forbidden variants of one body schema, derived from the document alone: at the top level and inside nested
 * objects and arrays of objects (two levels down), each with the dot path the violation is at.
 */
function forbiddenBodies(schema: Json): Forbidden[] {
  return [{ label: "not an object", body: ["an", "array"], path: "", message: /expected object/i }, ...forbiddenAt(resolveRef(schema), [], (v) => v, 0)];
}

function forbiddenAt(s: Json, at: string[], wrap: (v: unknown) => unknown, depth: number): Forbidden[] {
  const out: Forbidden[] = [];
  const props = (s.properties ?? {}) as Record<string, Json>;
  const here = (name: string) => [...at, name].join(".");
  const add = (label: string, name: string, value: unknown, message: RegExp) => out.push({ label: `${here(name)} ${label}`, body: wrap({ [name]: value }), path: here(name), message });
  for (const req of (s.required ?? []) as string[]) {
    const p = resolveRef(props[req] ?? {});
    out.push({ label: `without required ${here(req)}`, body: wrap({}), path: here(req), message: isEnum(p) ? ENUM_MESSAGE : /required|received undefined/i });
  }
  if (s.additionalProperties === false) {
    out.push({ label: `unknown property in ${at.join(".") || "the body"}`, body: wrap({ zz_not_in_schema: 1 }), path: at.join("."), message: /unrecognized key.*zz_not_in_schema/i });
  }
  for (const [name, raw] of Object.entries(props)) {
    const p = resolveRef(raw);
    const wrong = wrongType(p);
    if (wrong !== undefined) add("of the wrong type", name, wrong, isEnum(p) ? ENUM_MESSAGE : /expected .*received/i);
    if (p.type === "string" && typeof p.maxLength === "number" && p.maxLength < 5000 && !p.format && !p.pattern) add("too long", name, "x".repeat(p.maxLength + 1), /too big|at most/i);
    if ((p.type === "integer" || p.type === "number") && typeof p.maximum === "number" && p.maximum + 1 <= Number.MAX_SAFE_INTEGER) add("above its maximum", name, p.maximum + 1, /too big/i);
    if ((p.type === "integer" || p.type === "number") && typeof p.minimum === "number") add("below its minimum", name, p.minimum - 1, /too small/i);
    if ((p.type === "integer" || p.type === "number") && typeof p.exclusiveMinimum === "number") add("at its exclusive minimum", name, p.exclusiveMinimum, /too small/i);
    if (p.type === "integer") add("not an integer", name, 1.5, /expected int|integer/i);
    if ((Array.isArray(p.enum) && p.enum.every((v: unknown) => typeof v === "string")) || typeof p.const === "string") add("outside its enum", name, "zz-not-an-option", ENUM_MESSAGE);
    if (p.type === "array" && typeof p.minItems === "number" && p.minItems > 0) add("with too few items", name, [], /too small/i);
    if (depth < 2 && p.type === "object" && p.properties) out.push(...forbiddenAt(p, [...at, name], (v) => wrap({ [name]: v }), depth + 1));
    const items = p.type === "array" ? resolveRef(p.items ?? {}) : undefined;
    if (depth < 2 && items?.type === "object" && items.properties) out.push(...forbiddenAt(items, [...at, name, "0"], (v) => wrap({ [name]: [v] }), depth + 1));
  }
  return out;
}

/** Where ajv says the instance breaks the schema, as a dot path (the property a `required` error misses). */
function ajvPaths(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const base = e.instancePath.split("/").filter(Boolean).join(".");
    if (e.keyword === "required") return [base, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join(".");
    return base;
  });
}

describe("a request the document forbids is refused by the validator, naming the same property", () => {
  let user: SignedUp;
  let operator: SignedUp;
  let ajv: Ajv2020;

  beforeAll(async () => {
    [user, operator] = await Promise.all([signUp(uniqueEmail("openapi")), operatorAccount()]);
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // The document's components under their own $id, so `#/components/schemas/...` refs resolve.
    ajv.addSchema({ $id: "https://doc.invalid/openapi.json", components: doc.components }, "https://doc.invalid/openapi.json");
  });

  it("every validated JSON body, every derived violation", { timeout: 180_000 }, async () => {
    const validated = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => (op as Json)["x-validated"] === true)
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op: op as Json })),
    );
    // The /api routes that take a JSON body: keys, bridge map, BYOK, deployments, collections, billing, IDE...
    expect(validated.length).toBeGreaterThanOrEqual(20);

    let sent = 0;
    const failures: string[] = [];
    for (const { method, path, op } of validated) {
      const ref: string = op.requestBody.content["application/json"].schema.$ref;
      const check: ValidateFunction = ajv.getSchema(`https://doc.invalid/openapi.json${ref}`) ?? ajv.compile({ $ref: `https://doc.invalid/openapi.json${ref}` });
      const auth: string[] = op["x-auth"];
      const who = auth.includes("admin") ? operator : auth.includes("none") ? new Browser() : user;
      const url = path.replace(/\{[^}]+\}/g, "zz1");
      for (const f of forbiddenBodies(doc.components.schemas[ref.split("/").pop()!])) {
        const where = `${method} ${path} ${f.label} ${JSON.stringify(f.body).slice(0, 80)}`;
        // 1. The document forbids it, at that property.
        const ok = check(f.body);
        expect(ok, `${where}: the document should forbid it`).toBe(false);
        expect(ajvPaths(check.errors ?? []), `${where}: ajv ${JSON.stringify(check.errors)}`).toContain(f.path);
        // 2. The platform refuses it, at the same property, for the same reason.
        const res = await apiCall(who, method, url, f.body);
        sent++;
        const details: Array<{ path: string; message: string }> = res.body?.error?.details ?? [];
        const named = details.filter((d) => d.path === f.path);
        if (res.status !== 400 || res.body?.error?.code !== "invalid_request" || !named.some((d) => f.message.test(d.message))) {
          failures.push(`${where} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
    expect(sent).toBeGreaterThan(100);
  });

  it("malformed JSON is 400 invalid_json on every validated body", async () => {
    for (const [method, path] of [
      ["POST", "/api/keys"],
      ["PUT", "/api/bridge"],
      ["POST", "/api/collections"],
    ] as const) {
      const res = await user.browser.fetch(path, { method, body: "{nope", headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error.code).toBe("invalid_json");
    }
  });

  it("a body the document allows passes the validator (the route answers for itself)", async () => {
    const res = await apiCall(user, "POST", "/api/keys", { name: "from the document" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.key).toMatch(/^sk-/);
    // An optional body: PUT of a favorite without any body reads as {}.
    const fav = await user.browser.fetch("/api/favorites/Qwen/Qwen2.5-7B-Instruct", { method: "PUT" });
    expect([200, 201]).toContain(fav.status);
  });
});

// ---------------------------------------------------------------- the bridge

/**
 * The bridge is documented with its dialect schemas and answers in the caller's dialect, so there the check
 * is: a body the document accepts is accepted, and leaving out any property the document requires (or giving
 * one the wrong type) is refused with a 400 in that dialect whose message names the property.
 */
describe("the bridge refuses what its documented dialect schemas forbid, in the caller's dialect", () => {
  const cases: Array<{ path: string; url: string; headers: Record<string, string>; body: Json; error: (b: Json) => string }> = [
    { path: "/v1/chat/completions", url: "/v1/chat/completions", headers: { authorization: "Bearer local-dev-key" }, body: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }, error: (b: Json) => b.error.message as string },
    { path: "/v1/embeddings", url: "/v1/embeddings", headers: { authorization: "Bearer local-dev-key" }, body: { model: "openai/text-embedding-3-small", input: "Hi" }, error: (b: Json) => b.error.message as string },
    { path: "/v1/messages", url: "/v1/messages", headers: { "x-api-key": "local-dev-key", "anthropic-version": "2023-06-01" }, body: { model: "claude-haiku-4-5", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }, error: (b: Json) => (b.type === "error" ? (b.error.message as string) : "") },
    { path: "/v1/messages/count_tokens", url: "/v1/messages/count_tokens", headers: { "x-api-key": "local-dev-key" }, body: { model: "claude-haiku-4-5", messages: [{ role: "user", content: "Hi" }] }, error: (b: Json) => (b.type === "error" ? (b.error.message as string) : "") },
    { path: "/v1beta/models/{model}:generateContent", url: "/v1beta/models/google%2Fgemini-2.5-flash:generateContent", headers: { "x-goog-api-key": "local-dev-key" }, body: { contents: [{ role: "user", parts: [{ text: "Hi" }] }] }, error: (b: Json) => (b.error?.status === "INVALID_ARGUMENT" ? (b.error.message as string) : "") },
  ];

  it("accepts the documented example and refuses each required property left out or mistyped", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "https://doc.invalid/bridge.json", components: doc.components });
    let refused = 0;
    for (const c of cases) {
      const op = doc.paths[c.path].post;
      const ref: string = op.requestBody.content["application/json"].schema.$ref;
      const check = ajv.compile({ $ref: `https://doc.invalid/bridge.json${ref}` });
      expect(check(c.body), `${c.path} example: ${JSON.stringify(check.errors)}`).toBe(true);
      const send = (body: unknown) => fetch(new URL(c.url, platform), { method: "POST", headers: { "content-type": "application/json", ...c.headers }, body: JSON.stringify(body) });
      const ok = await send(c.body);
      expect(ok.status, `${c.path}: ${await ok.clone().text()}`).toBe(200);
      const schema = resolveRef(doc.components.schemas[ref.split("/").pop()!]);
      const required = (schema.required ?? []) as string[];
      expect(required.length, c.path).toBeGreaterThan(0);
      for (const prop of Object.keys(c.body)) {
        const variants: Array<[string, Json]> = [[`${prop} of the wrong type`, { ...c.body, [prop]: true }]];
        if (required.includes(prop)) {
          const { [prop]: _dropped, ...rest } = c.body as Json;
          variants.push([`without ${prop}`, rest]);
        }
        for (const [label, body] of variants) {
          expect(check(body), `${c.path} ${label}: the document should forbid it`).toBe(false);
          expect(ajvPaths(check.errors ?? []), `${c.path} ${label}`).toContain(prop);
          const res = await send(body);
          const text = await res.text();
          expect(res.status, `${c.path} ${label}: ${text}`).toBe(400);
          expect(c.error(JSON.parse(text)), `${c.path} ${label}: ${text}`).toContain(prop);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThanOrEqual(15);
  });
});

// ---------------------------------------------------------------- /docs

describe("GET /docs", () => {
  for (const [host, name] of [
    ["swaggystacks.localhost", "SwaggyStacks"],
    ["scientiacapital.localhost", "ScientiaCapital"],
  ] as const) {
    it(`renders the reference for ${name} with samples for all five clients on its own origin`, async () => {
      const origin = `http://${host}:${port}`;
      const res = await getWithHost(platform, host, "/docs");
      expect(res.status).toBe(200);
      expect(String(res.headers["content-type"])).toContain("text/html");
      expect(String(res.headers["content-security-policy"])).toContain("default-src 'none'");
      const html = res.text;
      expect(html).toContain(`<title>${name} API reference</title>`);
      expect(html).not.toMatch(/<script|https?:\/\/(?!(swaggystacks|scientiacapital)\.)[a-z0-9.-]+\.(com|net|io|dev)\/[^"\s]*\.(js|css)/i);
      // Landmarks and one h1.
      expect(html).toMatch(/<main id="main">/);
      expect(html).toMatch(/<nav class="toc" aria-label="Contents">/);
      expect(html.match(/<h1/g)?.length).toBe(1);
      expect(html).toContain('<meta name="viewport"');
      // The five clients, pointed at this brand's origin.
      expect(html).toContain(`curl ${origin}/v1/chat/completions`);
      expect(html).toContain(`new OpenAI({ baseURL: &quot;${origin}/v1&quot;`);
      expect(html).toContain(`OpenAI(base_url=&quot;${origin}/v1&quot;`);
      expect(html).toContain(`new Anthropic({ baseURL: &quot;${origin}&quot;`);
      expect(html).toContain(`export ANTHROPIC_BASE_URL=${origin}`);
      expect(html).toContain("ANTHROPIC_AUTH_TOKEN");
      expect(html).toContain(`Override OpenAI Base URL:  ${origin}/v1`);
      // The reference itself: grouped by tag, each operation with method, path and auth.
      expect(html).toContain('id="tag-keys"');
      expect(html).toMatch(/<span class="method m-post">POST<\/span> <code class="path">\/api\/keys<\/code>/);
      expect(html).toContain("/v1beta/models/{model}:generateContent");
      expect(html).toContain(`href="/api/openapi.json"`);
      const other = name === "SwaggyStacks" ? "ScientiaCapital" : "SwaggyStacks";
      expect(html).not.toContain(`${other} API reference`);
    });
  }
});
