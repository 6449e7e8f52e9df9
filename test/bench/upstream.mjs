// A minimal OpenAI-compatible upstream for benchmarks: fixed answers (JSON or SSE), no work, so every
// millisecond added on top of it is the platform's.
import http from "node:http";

const completion = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1, model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello! This is a benchmark answer of a typical short length." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 12, completion_tokens: 14, total_tokens: 26 },
});
const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const streamBody =
  chunk({ role: "assistant", content: "" }) +
  ["Hello! ", "This is ", "a benchmark ", "answer of ", "a typical ", "short length."].map((t) => chunk({ content: t })).join("") +
  chunk({}, "stop") +
  `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 12, completion_tokens: 14, total_tokens: 26 } })}\n\n` +
  "data: [DONE]\n\n";

export async function startUpstream(port) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (body.includes('"stream":true')) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(streamBody);
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(completion);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}/v1`, close: () => server.close() };
}
