/**
 * The only code in the platform that parses or writes server-sent-event framing (WHATWG "event stream"
 * interpretation): events split by a blank line, `data:` lines joined by "\n", `event:`/`id:`/`retry:` fields,
 * `:` comment lines ignored, CR, LF and CRLF line ends, and chunk boundaries anywhere (even inside a CRLF
 * or a multi-byte UTF-8 character).
 */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

/** Incremental parser: feed text chunks, get complete messages back. */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event: string | undefined;
  private id: string | undefined;
  private sawField = false;
  /** A CR ended the previous chunk: a leading LF in the next chunk belongs to it. */
  private pendingCr = false;

  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      this.line(this.buffer.slice(start, i), out);
      if (ch === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.pendingCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** End of input: a final message without its blank line still counts (servers that close abruptly). */
  flush(): SseMessage[] {
    const out: SseMessage[] = [];
    if (this.buffer) this.line(this.buffer, out);
    this.buffer = "";
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: SseMessage[]) {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.sawField = true;
    } else if (field === "event") {
      this.event = value;
      this.sawField = true;
    } else if (field === "id") {
      if (!value.includes("\0")) this.id = value;
    }
  }

  private dispatch(out: SseMessage[]) {
    if (this.sawField && this.data.length > 0) {
      const msg: SseMessage = { data: this.data.join("\n") };
      if (this.event !== undefined && this.event !== "") msg.event = this.event;
      if (this.id !== undefined) msg.id = this.id;
      out.push(msg);
    }
    this.data = [];
    this.event = undefined;
    this.sawField = false;
  }
}

/** Bytes in, SSE messages out; UTF-8 decoding is streaming so split characters survive. */
export function sseMessages(body: ReadableStream<Uint8Array>): ReadableStream<SseMessage> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  return body.pipeThrough(
    new TransformStream<Uint8Array, SseMessage>({
      transform(chunk, controller) {
        for (const msg of parser.push(decoder.decode(chunk, { stream: true }))) controller.enqueue(msg);
      },
      flush(controller) {
        for (const msg of parser.push(decoder.decode())) controller.enqueue(msg);
        for (const msg of parser.flush()) controller.enqueue(msg);
      },
    }),
  );
}

/** One message in wire form. Multi-line data becomes several `data:` lines, as the format requires. */
export function encodeSse(msg: SseMessage): string {
  let out = "";
  if (msg.event !== undefined) out += `event: ${msg.event}\n`;
  if (msg.id !== undefined) out += `id: ${msg.id}\n`;
  for (const line of msg.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
