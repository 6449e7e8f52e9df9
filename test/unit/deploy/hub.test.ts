import { describe, expect, it } from "vitest";
import { fetchModelFacts, HubRequestError, HubUnavailableError } from "../../../workers/deploy/hub";
import { modelInfo } from "../../../workers/sandbox/huggingface/fields";
import { repoFile } from "../../../workers/sandbox/huggingface/files";
import type { ExpandKey } from "../../../workers/sandbox/huggingface/query";
import { SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";

const HUB = "http://hub.test/hf";

interface Call {
  url: string;
  authorization: string | null;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/**
 * A Hub over the shipped sample, answering the two routes fetchModelFacts uses with the sandbox's own
 * projections (workers/sandbox/huggingface.ts serves the same at ${SANDBOX}/hf), plus fault switches.
 */
function fakeHub(faults: { info?: number | "network"; config?: number | "network" } = {}) {
  const calls: Call[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const authorization = new Headers(init?.headers).get("authorization");
    calls.push({ url: url.toString(), authorization });
    const path = url.pathname.slice("/hf".length);
    const info = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(path);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(path);
    const fault = info ? faults.info : faults.config;
    if (fault === "network") throw new TypeError("fetch failed");
    if (fault) return json(fault, { error: "Internal Error" });
    const id = decodeURIComponent((info ?? resolve)?.[1] ?? "");
    const m = SAMPLE_MODELS.find((x) => x.id === id);
    if (!m) return json(authorization ? 404 : 401, { error: "Repository not found" }, { "x-error-code": "RepoNotFound" });
    if (info) return json(200, modelInfo(m, url.searchParams.getAll("expand") as ExpandKey[]));
    if (m.gated && !authorization) return json(401, { error: `Access to model ${m.id} is restricted.` }, { "x-error-code": "GatedRepo" });
    const file = repoFile(m, resolve![2]!);
    return file ? new Response(file.body, { status: 200, headers: { "content-type": file.contentType } }) : json(404, { error: "Entry not found" });
  };
  return { calls, fetch: fetcher as typeof fetch };
}

describe("fetchModelFacts", () => {
  it("reads model info with the planner's fields, then config.json, and builds facts", async () => {
    const hub = fakeHub();
    const facts = await fetchModelFacts({ hubUrl: `${HUB}/`, fetch: hub.fetch }, "Qwen/Qwen2.5-7B-Instruct");
    expect(facts).toMatchObject({
      id: "Qwen/Qwen2.5-7B-Instruct",
      pipelineTag: "text-generation",
      libraryName: "transformers",
      architecture: "Qwen2ForCausalLM",
      parameters: 7_615_616_512,
      layers: 28, // only config.json has these
      kvHeads: 4,
      contextLength: 32_768,
      license: "apache-2.0",
    });
    expect(hub.calls).toHaveLength(2);
    const infoUrl = new URL(hub.calls[0]!.url);
    expect(infoUrl.pathname).toBe("/hf/api/models/Qwen/Qwen2.5-7B-Instruct/revision/HEAD");
    expect(infoUrl.searchParams.getAll("expand")).toEqual(expect.arrayContaining(["safetensors", "config", "tags", "library_name", "cardData", "gated", "pipeline_tag"]));
    expect(hub.calls[1]!.url).toBe(`${HUB}/Qwen/Qwen2.5-7B-Instruct/resolve/main/config.json`);
    expect(hub.calls.every((c) => c.authorization === null)).toBe(true);
  });

  it("sends the token on both requests and reads a gated model's config with it", async () => {
    const hub = fakeHub();
    const facts = await fetchModelFacts({ hubUrl: HUB, token: "hf_test", fetch: hub.fetch }, "meta-llama/Llama-3.1-8B-Instruct");
    expect(hub.calls.map((c) => c.authorization)).toEqual(["Bearer hf_test", "Bearer hf_test"]);
    expect(facts).toMatchObject({ gated: "manual", layers: 32, kvHeads: 8, contextLength: 131_072 });
  });

  it("accepts tokens that don't start with hf_ (the library alone would throw before any request)", async () => {
    const hub = fakeHub();
    const facts = await fetchModelFacts({ hubUrl: HUB, token: "sandbox-token", fetch: hub.fetch }, "Qwen/Qwen2.5-7B-Instruct");
    expect(facts?.id).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(hub.calls.map((c) => c.authorization)).toEqual(["Bearer sandbox-token", "Bearer sandbox-token"]);
  });

  it("still returns facts for a gated model without a token, from the API's config field", async () => {
    const facts = await fetchModelFacts({ hubUrl: HUB, fetch: fakeHub().fetch }, "meta-llama/Llama-3.1-8B-Instruct");
    expect(facts).toMatchObject({ gated: "manual", architecture: "LlamaForCausalLM", parameters: 8_030_261_248 });
    expect(facts!.layers).toBeUndefined();
  });

  it("returns undefined for a model that doesn't exist, with or without a token", async () => {
    expect(await fetchModelFacts({ hubUrl: HUB, fetch: fakeHub().fetch }, "nobody/nothing")).toBeUndefined();
    expect(await fetchModelFacts({ hubUrl: HUB, token: "hf_x", fetch: fakeHub().fetch }, "nobody/nothing")).toBeUndefined();
  });

  it("refuses malformed ids without calling the Hub", async () => {
    const hub = fakeHub();
    for (const id of ["../../etc/passwd", "a/b/c", "", "org/..", "org/name?x=1"]) {
      expect(await fetchModelFacts({ hubUrl: HUB, fetch: hub.fetch }, id)).toBeUndefined();
    }
    expect(hub.calls).toHaveLength(0);
  });

  it("survives a repo without config.json (GGUF-only)", async () => {
    const facts = await fetchModelFacts({ hubUrl: HUB, fetch: fakeHub().fetch }, "unsloth/Qwen3-30B-A3B-GGUF");
    expect(facts).toMatchObject({ weightFormat: "gguf", baseModel: "Qwen/Qwen3-30B-A3B" });
  });

  it.each([
    ["model info 503", { info: 503 }],
    ["model info 429", { info: 429 }],
    ["model info network failure", { info: "network" as const }],
    ["config.json 502", { config: 502 }],
    ["config.json network failure", { config: "network" as const }],
  ])("throws HubUnavailableError on %s", async (_, faults) => {
    await expect(fetchModelFacts({ hubUrl: HUB, fetch: fakeHub(faults).fetch }, "Qwen/Qwen2.5-7B-Instruct")).rejects.toBeInstanceOf(HubUnavailableError);
  });

  it("throws HubRequestError when the Hub rejects the credentials", async () => {
    const err = await fetchModelFacts({ hubUrl: HUB, token: "bad", fetch: fakeHub({ info: 401 }).fetch }, "Qwen/Qwen2.5-7B-Instruct").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubRequestError);
    expect((err as HubRequestError).status).toBe(401);
  });
});
