/**
 * LLM call spans (`chat {model}`, kind CLIENT): one span per request to a model provider. Sightline
 * counts tokens only on these spans, so aggregates (a whole agent run) never double-count.
 */
import { SpanKind, type Span } from '@opentelemetry/api'
import {
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from '@sightline/schema/semconv'
import { ATTR_GEN_AI_RESPONSE_FINISH_REASONS, OPERATION_CHAT } from './attributes.js'
import { setContent } from './content.js'
import { toInputMessages, toOutputMessages, type LlmInput, type LlmOutput } from './messages.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/**
 * What is known before the request is sent.
 *
 * @example
 * ```ts
 * const options: LlmCallOptions = { model: 'gpt-4o-mini', provider: 'openai', input: [{ role: 'user', content: 'Hi' }]
 * }
 * ```
 */
export interface LlmCallOptions {
  /** Requested model, e.g. `gpt-4o-mini`. */
  model: string
  /** `gen_ai.provider.name`, e.g. `openai`, `anthropic`, `aws.bedrock`, `gcp.vertex_ai`. */
  provider: string
  /** Prompt; written only when content capture is on. */
  input?: LlmInput
  /** `gen_ai.operation.name`; `chat` unless the API is a plain completion or generate_content one. */
  operation?: 'chat' | 'text_completion' | 'generate_content'
  /** Overrides registerSightline's `captureContent` for this call. */
  captureContent?: boolean
}

/**
 * Token counts as the provider reported them, in the OTel meaning: `inputTokens` is the WHOLE prompt,
 * INCLUDING cached tokens (`cachedInputTokens`) and tokens written to the cache (`cacheWriteTokens`).
 * Anthropic reports `input_tokens` without the cached part: pass
 * `input_tokens + cache_read_input_tokens + cache_creation_input_tokens` there. OpenAI's
 * `prompt_tokens` already includes `cached_tokens`.
 *
 * @example
 * ```ts
 * // Anthropic: input_tokens excludes the cache, so add it back.
 * const usage: LlmUsage = {
 *   inputTokens: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
 *   outputTokens: u.output_tokens,
 *   cachedInputTokens: u.cache_read_input_tokens,
 *   cacheWriteTokens: u.cache_creation_input_tokens,
 * }
 * ```
 */
export interface LlmUsage {
  inputTokens: number
  outputTokens: number
  /** Prompt tokens read from the provider's cache (part of `inputTokens`). */
  cachedInputTokens?: number
  /** Prompt tokens written to the provider's cache (part of `inputTokens`). */
  cacheWriteTokens?: number
  /** Reasoning tokens (part of `outputTokens`). */
  reasoningTokens?: number
}

/**
 * What came back; pass it to `call.record()`.
 *
 * @example
 * ```ts
 * call.record({ responseModel: 'gpt-4o-mini-2024-07-18', usage: { inputTokens: 12, outputTokens: 3 }, output: 'Hello!',
 * finishReasons: ['stop'] })
 * ```
 */
export interface LlmResponse {
  /** Model that actually answered, when the provider reports it (e.g. a dated snapshot). */
  responseModel?: string
  usage: LlmUsage
  /** Completion; written only when content capture is on. */
  output?: LlmOutput
  /** One per choice, e.g. `['stop']`, `['tool_calls']`. */
  finishReasons?: string[]
}

/**
 * Handle passed to withLlmCall's callback.
 *
 * @example
 * ```ts
 * await withLlmCall({ model: 'gpt-4o-mini', provider: 'openai' }, async (call) => {
 *   const res = await complete()
 *   call.record({ usage: { inputTokens: res.inTokens, outputTokens: res.outTokens } })
 *   call.span.setAttribute('app.retry', 0)
 * })
 * ```
 */
export interface LlmCallHandle {
  /** The underlying span, for attributes the helper does not cover. */
  readonly span: Span
  /** Records the response; call it once the provider has answered (a later call overwrites). */
  record(response: LlmResponse): void
}

/**
 * Runs one model request inside a `chat {model}` span (kind CLIENT) and lets `fn` record the
 * response through `call.record()`. Resolves to `fn`'s result; errors are recorded and rethrown.
 *
 * @example
 * ```ts
 * const reply = await withLlmCall({ model: 'gpt-4o-mini', provider: 'openai', input: messages }, async (call) => {
 *   const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
 *   call.record({
 *     responseModel: res.model,
 *     usage: { inputTokens: res.usage!.prompt_tokens, outputTokens: res.usage!.completion_tokens,
 *              cachedInputTokens: res.usage!.prompt_tokens_details?.cached_tokens },
 *     output: res.choices[0]!.message.content ?? '',
 *     finishReasons: res.choices.map((c) => c.finish_reason),
 *   })
 *   return res.choices[0]!.message.content
 * })
 * ```
 */
export function withLlmCall<T>(options: LlmCallOptions, fn: (call: LlmCallHandle) => T | Promise<T>): Promise<T> {
  const operation = options.operation ?? OPERATION_CHAT
  const attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: options.provider,
    [ATTR_GEN_AI_REQUEST_MODEL]: options.model,
  }
  return runInSpan({ name: `${operation} ${options.model}`, kind: SpanKind.CLIENT, attributes }, (span) => {
    if (options.input !== undefined) {
      const messages = toInputMessages(options.input)
      setContent(span, ATTR_GEN_AI_INPUT_MESSAGES, messages, options.captureContent)
    }
    const handle: LlmCallHandle = {
      span,
      record: (response) => recordResponse(span, response, options.captureContent),
    }
    return fn(handle)
  })
}

function recordResponse(span: Span, response: LlmResponse, captureContent?: boolean): void {
  const { usage } = response
  span.setAttributes(
    definedAttributes({
      [ATTR_GEN_AI_RESPONSE_MODEL]: response.responseModel,
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: usage.cachedInputTokens,
      [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: usage.cacheWriteTokens,
      [ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]: usage.reasoningTokens,
      [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: response.finishReasons,
    }),
  )
  if (response.output !== undefined) {
    const messages = toOutputMessages(response.output, response.finishReasons)
    setContent(span, ATTR_GEN_AI_OUTPUT_MESSAGES, messages, captureContent)
  }
}
