/**
 * Conversion of the simple message shapes most agent code has (`{ role, content }` or a bare string)
 * into the OTel GenAI message JSON (`{ role, parts: [{ type: 'text', content }] }`). Messages that
 * already carry `parts` are passed through untouched.
 */

/**
 * A chat message: either the usual `{ role, content }` or an OTel GenAI message with `parts`.
 *
 * @example
 * ```ts
 * const messages: ChatMessage[] = [
 *   { role: 'system', content: 'You are terse.' },
 *   { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
 * ]
 * ```
 */
export type ChatMessage =
  | { role: string; content: string; name?: string }
  | { role: string; parts: unknown[]; [key: string]: unknown }

/**
 * Prompt for withLlmCall(): a bare string is one user message.
 *
 * @example
 * ```ts
 * const input: LlmInput = 'What is the weather in Oslo?'
 * ```
 */
export type LlmInput = string | ChatMessage[]
/**
 * Completion for `call.record()`: a bare string is one assistant message.
 *
 * @example
 * ```ts
 * call.record({ usage, output: 'It is 4°C.' })
 * ```
 */
export type LlmOutput = string | ChatMessage[]

interface OtelMessage {
  role: string
  parts: unknown[]
  [key: string]: unknown
}

function toOtelMessage(message: ChatMessage): OtelMessage {
  if ('parts' in message) return message
  const { content, ...rest } = message
  return { ...rest, parts: [{ type: 'text', content }] }
}

export function toInputMessages(input: LlmInput): OtelMessage[] {
  const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : input
  return messages.map(toOtelMessage)
}

/** OTel output messages carry their own `finish_reason`; the n-th choice gets the n-th reason. */
export function toOutputMessages(output: LlmOutput, finishReasons: string[] = []): OtelMessage[] {
  const messages = typeof output === 'string' ? [{ role: 'assistant', content: output }] : output
  return messages.map((message, i) => {
    const converted = toOtelMessage(message)
    const reason = finishReasons[i] ?? finishReasons[0]
    return reason === undefined || 'finish_reason' in converted ? converted : { ...converted, finish_reason: reason }
  })
}
