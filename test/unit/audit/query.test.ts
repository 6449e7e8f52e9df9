import { describe, expect, it } from "vitest";
import { parseAuditQuery } from "../../../workers/audit/query";

describe("GET /api/audit query", () => {
  it("defaults and filters", () => {
    expect(parseAuditQuery({})).toEqual({ ok: true, query: { filter: {}, limit: 50, format: "json" } });
    const q = parseAuditQuery({ action: "key.*, member.role_change", actor: "a@b.c", since: "2026-01-01T00:00:00Z", until: "1800000000000", cursor: "42", limit: "10", format: "ndjson" });
    expect(q).toEqual({
      ok: true,
      query: {
        filter: { actions: ["key.*", "member.role_change"], actor: "a@b.c", since: Date.parse("2026-01-01T00:00:00Z"), until: 1_800_000_000_000 },
        cursor: 42,
        limit: 10,
        format: "ndjson",
      },
    });
  });

  it.each([
    [{ action: "key.%" }],
    [{ action: "*" }],
    [{ action: "key.*.x" }],
    [{ action: "" }],
    [{ since: "yesterday" }],
    [{ since: "2026-13-45" }],
    [{ since: "2026-02-01", until: "2026-01-01" }],
    [{ cursor: "0" }],
    [{ cursor: "-1" }],
    [{ cursor: "abc" }],
    [{ limit: "0" }],
    [{ limit: "201" }],
    [{ format: "csv" }],
    [{ actions: "key.create" }],
  ])("refuses %j", (params) => {
    expect(parseAuditQuery(params as Record<string, string>).ok).toBe(false);
  });
});
