import { describe, expect, it } from "vitest";
import { afterFailure, assembleFiles, batchDiscountPercent, discountedCostMicros, interpretJob, retryDelayMs, usageEventId, type FinishedItem } from "../../../workers/batch/items";
import { parseWebhookToken } from "../../../workers/batch/view";

const completion = { id: "chatcmpl-1", object: "chat.completion", model: "Qwen/Qwen2.5-0.5B-Instruct", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }], usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } };

describe("a RunPod job's status body, for its batch item", () => {
  it("running while queued or in progress", () => {
    expect(interpretJob({ id: "j", status: "IN_QUEUE" })).toEqual({ kind: "running" });
    expect(interpretJob({ id: "j", status: "IN_PROGRESS", delayTime: 3 })).toEqual({ kind: "running" });
  });

  it("completed with the vLLM worker's aggregated output (a list) or a bare object", () => {
    expect(interpretJob({ id: "j", status: "COMPLETED", output: [completion] })).toEqual({ kind: "completed", body: completion, usage: { inputTokens: 12, outputTokens: 5 } });
    expect(interpretJob({ id: "j", status: "COMPLETED", output: completion })).toMatchObject({ kind: "completed" });
  });

  it("a vLLM 4xx is the request's own error: final, with the model's message", () => {
    const out = interpretJob({ id: "j", status: "COMPLETED", output: [{ object: "error", message: "messages: Field required", type: "BadRequestError", param: null, code: 400 }] });
    expect(out).toEqual({ kind: "refused", statusCode: 400, body: { error: { message: "messages: Field required", type: "invalid_request_error", param: null, code: "BadRequestError" } } });
  });

  it("FAILED, TIMED_OUT, a worker error or a vLLM 5xx are worth another attempt", () => {
    expect(interpretJob({ id: "j", status: "FAILED", error: "CUDA out of memory" })).toEqual({ kind: "retry", reason: "RunPod job failed: CUDA out of memory" });
    expect(interpretJob({ id: "j", status: "TIMED_OUT" }).kind).toBe("retry");
    expect(interpretJob({ id: "j", status: "COMPLETED", output: [{ error: { message: "engine died", type: "worker_error", code: null } }] }).kind).toBe("retry");
    expect(interpretJob({ id: "j", status: "COMPLETED", output: [{ object: "error", message: "boom", code: 500 }] }).kind).toBe("retry");
    expect(interpretJob(null).kind).toBe("retry");
    expect(interpretJob({ status: "COMPLETED" }).kind).toBe("retry");
  });
});

describe("item retries", () => {
  it("backs off 1 s, 2 s, 4 s and gives up after the last attempt", () => {
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 60_000]);
    expect(afterFailure(1, 3, 1000)).toEqual({ state: "pending", nextAt: 2000 });
    expect(afterFailure(2, 3, 1000)).toEqual({ state: "pending", nextAt: 3000 });
    expect(afterFailure(3, 3, 1000)).toEqual({ state: "failed" });
  });
});

describe("charging", () => {
  it("prices at the deployment's price less the discount, rounded up", () => {
    const price = { input: 100_000, output: 400_000 }; // $0.10 / $0.40 per million
    expect(discountedCostMicros({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, price, 0)).toBe(500_000);
    expect(discountedCostMicros({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, price, 50)).toBe(250_000);
    expect(discountedCostMicros({ inputTokens: 1, outputTokens: 0 }, price, 50)).toBe(1);
    expect(discountedCostMicros({ inputTokens: 10, outputTokens: 10 }, price, 100)).toBe(0);
  });

  it("reads BATCH_DISCOUNT_PERCENT, default 50", () => {
    expect([undefined, "", "abc", "-1", "101", "0", "35", "100"].map((v) => batchDiscountPercent(v))).toEqual([50, 50, 50, 50, 50, 0, 35, 100]);
  });

  it("one usage-event id per item, whatever the attempts", () => {
    expect(usageEventId("batch_abc", 7)).toBe("batch_abc:item:7");
  });
});

describe("output and error files", () => {
  const item = (index: number, state: FinishedItem["state"], extra: Partial<FinishedItem> = {}): FinishedItem => ({
    index,
    customId: `req-${index}`,
    state,
    statusCode: state === "completed" ? 200 : null,
    response: state === "completed" ? { n: index } : null,
    error: state === "completed" ? null : { code: "runpod_job_failed", message: "boom" },
    requestId: `job-${index}`,
    ...extra,
  });

  it("keeps input order whatever order items finished in, answered lines in the output, the rest in the error file", () => {
    const finished = [item(3, "completed"), item(0, "completed"), item(2, "failed"), item(1, "failed", { statusCode: 400, response: { error: { message: "bad" } }, error: null }), item(4, "cancelled")];
    const files = assembleFiles("batch_0123456789abcdef01234567", finished);
    const out = files.output.trim().split("\n").map((l) => JSON.parse(l));
    const err = files.errors.trim().split("\n").map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id)).toEqual(["req-0", "req-3"]);
    expect(out[0]).toEqual({ id: "batch_req_0123456789abcdef01234567_0", custom_id: "req-0", response: { status_code: 200, request_id: "job-0", body: { n: 0 } }, error: null });
    expect(err.map((l) => l.custom_id)).toEqual(["req-1", "req-2", "req-4"]);
    expect(err[0].response.status_code).toBe(400);
    expect(err[1]).toMatchObject({ response: null, error: { code: "runpod_job_failed", message: "boom" } });
    expect(files).toMatchObject({ completed: 2, failed: 2 });
  });
});

describe("webhook tokens", () => {
  it("parse only in their exact shape", () => {
    const secret = "A".repeat(43);
    expect(parseWebhookToken(`batch_0123456789abcdef01234567.12.${secret}`)).toEqual({ batchId: "batch_0123456789abcdef01234567", index: 12, secret });
    for (const bad of [undefined, "", "batch_x.1.secret", `batch_0123456789abcdef01234567.-1.${secret}`, `batch_0123456789abcdef01234567.1.short`, `batch_0123456789abcdef01234567.1.${secret}!`]) {
      expect(parseWebhookToken(bad)).toBeUndefined();
    }
  });
});
