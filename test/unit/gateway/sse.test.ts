import { describe, expect, it } from "vitest";
import { encodeSse, SseParser, sseMessages, type SseMessage } from "../../../workers/gateway/sse";

function parseAll(chunks: string[]): SseMessage[] {
  const p = new SseParser();
  const out = chunks.flatMap((c) => p.push(c));
  return [...out, ...p.flush()];
}

const WIRE = 'event: message_start\ndata: {"a":1}\n\n: keep-alive comment\n\nevent: ping\ndata: {"type": "ping"}\n\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
const EXPECTED: SseMessage[] = [
  { event: "message_start", data: '{"a":1}' },
  { event: "ping", data: '{"type": "ping"}' },
  { data: "line1\nline2" },
  { data: "[DONE]" },
];

describe("SseParser", () => {
  it("parses events, comments, multi-line data and sentinels", () => {
    expect(parseAll([WIRE])).toEqual(EXPECTED);
  });

  it("gives the same messages however the bytes are split", () => {
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < WIRE.length; i += size) chunks.push(WIRE.slice(i, i + size));
      expect(parseAll(chunks)).toEqual(EXPECTED);
    }
  });

  it("handles CRLF and lone CR line ends, including a CRLF split across chunks", () => {
    expect(parseAll(["data: a\r", "\n\r\ndata: b\r\r"])).toEqual([{ data: "a" }, { data: "b" }]);
    expect(parseAll(["event: x\r\ndata: 1\r\n\r\n"])).toEqual([{ event: "x", data: "1" }]);
  });

  it("keeps values without a space after the colon, and fields with no colon", () => {
    expect(parseAll(["data:{\"x\":1}\n\ndata\n\n"])).toEqual([{ data: '{"x":1}' }, { data: "" }]);
  });

  it("dispatches a final message the server never terminated, and drops an event with no data", () => {
    expect(parseAll(["event: only\n\n", "data: tail"])).toEqual([{ data: "tail" }]);
  });

  it("keeps ids", () => {
    expect(parseAll(["id: 7\ndata: x\n\n"])).toEqual([{ id: "7", data: "x" }]);
  });
});

describe("sseMessages", () => {
  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo 🌍"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(new Uint8Array([b]));
        c.close();
      },
    });
    const out: SseMessage[] = [];
    const reader = sseMessages(body).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
    expect(out).toEqual([{ data: '{"t":"héllo 🌍"}' }]);
  });
});

describe("encodeSse", () => {
  it("round-trips through the parser", () => {
    const msgs: SseMessage[] = [{ event: "content_block_delta", data: '{"x":"a\\nb"}' }, { data: "one\ntwo" }, { id: "3", data: "" }];
    expect(parseAll([msgs.map(encodeSse).join("")])).toEqual(msgs);
  });
});
