/**
 * GenAI message attributes (`gen_ai.input.messages` / `gen_ai.output.messages`, parts format of the
 * current OTel GenAI conventions). Texts are capped so one long observation cannot make a request
 * huge: run logs repeat the whole history on every turn.
 */

/** Cap for each message text and tool payload, in characters. */
const MAX_TEXT_CHARS = 4_000

export function cap(text: string, max = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} chars truncated]`
}

export type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: string }

export interface GenAiMessage {
  role: string
  parts: MessagePart[]
  finish_reason?: string
}

export const textPart = (content: string): MessagePart => ({ type: 'text', content: cap(content) })

/** Tool arguments as the model sent them: parsed JSON when it is JSON, else the raw text. */
export function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return cap(raw)
  }
}

export const messagesJson = (messages: GenAiMessage[]): string | undefined =>
  messages.length === 0 ? undefined : JSON.stringify(messages)

/** Provider guess from a model id, for files that name only the model. */
export function providerFor(model: string): string {
  const m = model.toLowerCase()
  if (m.includes('openrouter')) return 'openrouter'
  if (/^(gpt|o\d|chatgpt|text-)/.test(m) || m.startsWith('openai/')) return 'openai'
  if (m.includes('claude') || m.startsWith('anthropic/')) return 'anthropic'
  if (m.includes('gemini')) return 'gcp.gemini'
  const prefix = m.split('/')[0]
  return prefix !== undefined && prefix !== m ? prefix : 'unknown'
}
