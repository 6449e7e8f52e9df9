import { describe, expect, it } from "vitest";
import { createEndpointRequest, createTemplateRequest, updateEndpointRequest } from "../../../workers/sandbox/runpod/schemas";
import { check, jsonPath } from "../../../workers/sandbox/runpod/validation";

const valid = { name: "llm", image: "runpod/worker-v1-vllm:v2.25.2", type: "QUEUE", gpu: { pools: ["ADA_24"] }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 } };

function errorsOf(schema: Parameters<typeof check>[0], body: unknown): string[] {
  const r = check(schema, body);
  if (r.ok) throw new Error("expected a validation failure");
  return r.errors;
}

describe("RunPod v2 request validation messages", () => {
  it("formats JSONPath locations", () => {
    expect(jsonPath([])).toBe("$");
    expect(jsonPath(["gpu", "pools", 0])).toBe("$.gpu.pools[0]");
  });

  it("accepts the spec's example create request", () => {
    const spec = { ...valid, image: "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404", workers: { min: 0, max: 5, idleTimeout: 5 }, dataCenterIds: ["US-KS-2"], timeout: 300000 };
    expect(check(createEndpointRequest, spec).ok).toBe(true);
  });

  it("names unknown fields the way the spec's example does", () => {
    expect(errorsOf(createEndpointRequest, { ...valid, bogus: 1 })).toEqual(["$: additional properties 'bogus' not allowed"]);
    expect(errorsOf(createEndpointRequest, { ...valid, scaling: { type: "QUEUE_DELAY", queueDelay: 4, scalerValue: 2 } })).toEqual([
      "$.scaling: additional properties 'scalerValue' not allowed",
    ]);
  });

  it("groups missing required properties per object", () => {
    expect(errorsOf(createEndpointRequest, {})).toEqual(["$: missing properties 'name', 'type', 'scaling'"]);
    expect(errorsOf(createEndpointRequest, { ...valid, scaling: {} })).toEqual(["$.scaling: missing property 'type'"]);
  });

  it("requires image unless a template is given", () => {
    const { image: _image, ...noImage } = valid;
    expect(errorsOf(createEndpointRequest, noImage)).toEqual(["$: missing property 'image'"]);
    expect(check(createEndpointRequest, { ...noImage, templateId: "tpl1" }).ok).toBe(true);
  });

  it("reports types, ranges, enums and discriminators", () => {
    const errors = errorsOf(createEndpointRequest, {
      ...valid,
      name: "",
      type: "SERVERLESS",
      timeout: 1.5,
      env: { A: 1 },
      workers: { min: -1, idleTimeout: 4000 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 0.1 },
      gpu: { pools: [], allowedCudaVersions: ["12"] },
    });
    expect(errors).toEqual([
      "$.env.A: got integer, want string",
      "$.name: minLength: got 0, want 1",
      "$.type: value must be one of \"QUEUE\", \"LOAD_BALANCER\"",
      "$.scaling.queueDelay: minimum: got 0.1, want 0.5",
      "$.gpu.pools: minItems: got 0, want 1",
      "$.gpu.allowedCudaVersions[0]: '12' does not match pattern '^\\d+\\.\\d+$'",
      "$.timeout: got number, want integer",
      "$.workers.min: minimum: got -1, want 0",
      "$.workers.idleTimeout: maximum: got 4000, want 3600",
    ]);
    expect(errorsOf(createEndpointRequest, { ...valid, scaling: { type: "SCALER" } })).toEqual([
      "$.scaling.type: value must be one of \"QUEUE_DELAY\", \"REQUEST_COUNT\"",
    ]);
  });

  it("holds load-balancing endpoints to request-count scaling", () => {
    expect(errorsOf(createEndpointRequest, { ...valid, type: "LOAD_BALANCER" })).toEqual(["$.scaling.type: value must be \"REQUEST_COUNT\""]);
    expect(check(createEndpointRequest, { ...valid, type: "LOAD_BALANCER", scaling: { type: "REQUEST_COUNT", requestCount: 4 } }).ok).toBe(true);
  });

  it("rejects duplicate CPU configurations", () => {
    const { gpu: _gpu, ...cpuBody } = valid;
    const cpu = [{ id: "cpu5c", vcpuCount: 4 }, { id: "cpu5c", vcpuCount: 4 }];
    expect(errorsOf(createEndpointRequest, { ...cpuBody, cpu })).toEqual(["$.cpu: items at 0 and 1 are equal"]);
  });

  it("validates updates: no type change, exclusions need pools", () => {
    expect(errorsOf(updateEndpointRequest, { type: "LOAD_BALANCER" })).toEqual(["$: additional properties 'type' not allowed"]);
    expect(errorsOf(updateEndpointRequest, { gpu: { excludedTypes: ["NVIDIA L4"] } })).toEqual(["$.gpu: missing property 'pools'"]);
    expect(check(updateEndpointRequest, { workers: { max: 1 } }).ok).toBe(true);
    expect(check(updateEndpointRequest, { gpu: { minCudaVersion: "" } }).ok).toBe(true);
  });

  it("validates templates", () => {
    expect(errorsOf(createTemplateRequest, { name: "t" })).toEqual(["$: missing property 'image'"]);
    expect(errorsOf(createTemplateRequest, { name: "t", image: "i", mounts: { persistent: { size: 5, path: "/w" } } })).toEqual([
      "$.mounts.persistent.size: minimum: got 5, want 10",
    ]);
  });
});
