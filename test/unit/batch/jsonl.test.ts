import { describe, expect, it } from "vitest";
import { parseBatchInput, type ResolvedModel } from "../../../workers/batch/jsonl";

const price = { input: 100_000, output: 400_000 };
const resolve = (model: string): ResolvedModel | string =>
  model === "runpod/qwen" ? { requested: model, endpointId: "ep1", servedModel: "Qwen/Qwen2.5-0.5B-Instruct", price } : `no deployment for ${model}`;
const line = (customId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: customId, method: "POST", url: "/v1/chat/completions", body: { model: "runpod/qwen", messages: [{ role: "user", content: customId }] }, ...extra });

describe("batch input file", () => {
  it("parses requests in file order, skipping blank lines, with their line numbers", () => {
    const text = [line("a"), "", line("b"), "  ", line("c"), ""].join("\n");
    const r = parseBatchInput(text, "/v1/chat/completions", resolve);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items.map((i) => [i.index, i.customId, i.line])).toEqual([
      [0, "a", 1],
      [1, "b", 3],
      [2, "c", 5],
    ]);
    expect(r.items[0]!.model.endpointId).toBe("ep1");
  });

  it("accepts CRLF line endings", () => {
    const r = parseBatchInput(`${line("a")}\r\n${line("b")}\r\n`, "/v1/chat/completions", resolve);
    expect(r.ok && r.items.length).toBe(2);
  });

  it("reports every bad line with its number and a code: bad JSON, wrong url, duplicate custom_id, unknown model", () => {
    const text = [
      line("ok-1"),
      "{not json",
      line("x", { url: "/v1/embeddings" }),
      line("ok-1"),
      JSON.stringify({ custom_id: "m", method: "POST", url: "/v1/chat/completions", body: { model: "openai/gpt-4o", messages: [] } }),
      JSON.stringify({ method: "POST", url: "/v1/chat/completions", body: {} }),
      line("g", { method: "GET" }),
      JSON.stringify({ custom_id: "s", method: "POST", url: "/v1/chat/completions", body: { model: "runpod/qwen", stream: true } }),
      "[1,2]",
    ].join("\n");
    const r = parseBatchInput(text, "/v1/chat/completions", resolve);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [2, "invalid_json_line"],
      [3, "invalid_url"],
      [4, "duplicate_custom_id"],
      [5, "model_not_found"],
      [6, "missing_required_parameter"],
      [7, "invalid_method"],
      [8, "invalid_request"],
      [9, "invalid_json_line"],
    ]);
    expect(r.errors[2]!.message).toContain("line 1");
    expect(r.errors[3]!.message).toContain("no deployment for openai/gpt-4o");
  });

  it("refuses an empty file", () => {
    const r = parseBatchInput("\n\n", "/v1/chat/completions", resolve);
    expect(r).toEqual({ ok: false, errors: [{ code: "empty_file", message: "The input file has no requests.", param: null, line: null }] });
  });

  it("caps the reported errors at 100", () => {
    const r = parseBatchInput(Array.from({ length: 250 }, () => "nope").join("\n"), "/v1/chat/completions", resolve);
    expect(!r.ok && r.errors.length).toBe(100);
  });
});
