import { z } from "zod";

/**
 * The playground's chat body (pure): the part of OpenAI's chat-completions body a person typing into the
 * PWA can produce. Kept narrow on purpose: tools, images and provider options belong to /v1 with a key;
 * anything else is refused by name rather than silently dropped.
 */
const message = z
  .object({
    role: z.enum(["system", "user", "assistant"]),
    content: z.string().max(200_000),
  })
  .strict();

export const playgroundChatBody = z
  .object({
    model: z.string().trim().min(1).max(300),
    messages: z.array(message).min(1).max(200),
    stream: z.boolean().optional(),
    max_tokens: z.number().int().min(1).max(65_536).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict()
  .refine((b) => b.messages.some((m) => m.role === "user" && m.content.trim() !== ""), { message: "Send at least one user message with some text", path: ["messages"] });

export type PlaygroundChatBody = z.infer<typeof playgroundChatBody>;

/**
 * The body the bridge receives. A stream always asks for the usage frame: it is where the cost, savings
 * and token counts arrive, which the playground shows under every answer.
 */
export function toOpenAiBody(b: PlaygroundChatBody): Record<string, unknown> {
  return {
    model: b.model,
    messages: b.messages,
    ...(b.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...(b.max_tokens !== undefined ? { max_tokens: b.max_tokens } : {}),
    ...(b.temperature !== undefined ? { temperature: b.temperature } : {}),
  };
}
