/**
 * Code samples for the five clients /docs shows, written against a brand's own origin (pure). The key is
 * always a placeholder read from the environment: a page never carries a real secret.
 */
export interface Sample {
  id: string;
  client: string;
  language: string;
  note: string;
  code: string;
}

export function clientSamples(origin: string, model: string): Sample[] {
  const m = JSON.stringify(model);
  return [
    {
      id: "curl",
      client: "curl",
      language: "sh",
      note: "Any HTTP client: the OpenAI dialect with a Bearer key.",
      code: `curl ${origin}/v1/chat/completions \\
  -H "Authorization: Bearer $API_KEY" \\
  -H "content-type: application/json" \\
  -d '{"model": ${m}, "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      id: "openai-node",
      client: "OpenAI SDK (Node)",
      language: "ts",
      note: "npm install openai; only the base URL changes.",
      code: `import OpenAI from "openai";

const client = new OpenAI({ baseURL: "${origin}/v1", apiKey: process.env.API_KEY });
const res = await client.chat.completions.create({
  model: ${m},
  messages: [{ role: "user", content: "Hello" }],
});
console.log(res.choices[0].message.content);`,
    },
    {
      id: "openai-python",
      client: "OpenAI SDK (Python)",
      language: "python",
      note: "pip install openai",
      code: `import os
from openai import OpenAI

client = OpenAI(base_url="${origin}/v1", api_key=os.environ["API_KEY"])
res = client.chat.completions.create(model=${m}, messages=[{"role": "user", "content": "Hello"}])
print(res.choices[0].message.content)`,
    },
    {
      id: "anthropic",
      client: "Anthropic SDK",
      language: "ts",
      note: "npm install @anthropic-ai/sdk (Python: anthropic.Anthropic(base_url=..., api_key=...)); the base URL has no /v1.",
      code: `import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ baseURL: "${origin}", apiKey: process.env.API_KEY });
const msg = await client.messages.create({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Hello" }],
});
console.log(msg.content);`,
    },
    {
      id: "claude-code",
      client: "Claude Code",
      language: "sh",
      note: "Claude Code speaks the Anthropic dialect; a bridge map rule can send claude-* to an open model.",
      code: `export ANTHROPIC_BASE_URL=${origin}
export ANTHROPIC_AUTH_TOKEN=$API_KEY   # or ANTHROPIC_API_KEY=$API_KEY
claude`,
    },
    {
      id: "cursor",
      client: "Cursor",
      language: "text",
      note: `Cursor uses the OpenAI dialect. The same settings come ready-made from GET ${origin}/api/ide-config?client=cursor.`,
      code: `Cursor Settings > Models > API Keys
  OpenAI API Key:            your platform key (sk-...)
  Override OpenAI Base URL:  ${origin}/v1
Then add a model name, e.g. ${model}`,
    },
  ];
}
