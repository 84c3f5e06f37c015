/**
 * Token usage and model identity, read on every span that carries them: whether a span's usage is
 * a call's or an aggregate repeating its children's is the trace resolver's structural rule.
 *
 * Input tokens are normalised to the OTel meaning: the total prompt INCLUDING cached tokens.
 */
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { asObject, firstInt, firstString } from './attributes.js'
import { fromLangfuseUsage } from './langfuse-usage.js'
import { withProviderUsage } from './provider-usage.js'

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

const INPUT_KEYS = [
  K.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  K.ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  K.ATTR_OI_TOKEN_COUNT_PROMPT,
  K.ATTR_AI_USAGE_INPUT_TOKENS,
  K.ATTR_AI_USAGE_PROMPT_TOKENS,
]
const OUTPUT_KEYS = [
  K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  K.ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  K.ATTR_OI_TOKEN_COUNT_COMPLETION,
  K.ATTR_AI_USAGE_OUTPUT_TOKENS,
  K.ATTR_AI_USAGE_COMPLETION_TOKENS,
]
const CACHE_READ_KEYS = [
  K.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  K.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_LEGACY,
  K.ATTR_OI_TOKEN_COUNT_CACHE_READ,
  K.ATTR_AI_USAGE_INPUT_CACHE_READ_TOKENS,
  K.ATTR_AI_USAGE_CACHED_INPUT_TOKENS,
]
const CACHE_WRITE_KEYS = [
  K.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  K.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_LEGACY,
  K.ATTR_OI_TOKEN_COUNT_CACHE_WRITE,
  K.ATTR_AI_USAGE_INPUT_CACHE_WRITE_TOKENS,
]
const REASONING_KEYS = [
  K.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  K.ATTR_GEN_AI_USAGE_REASONING_TOKENS,
  K.ATTR_OI_TOKEN_COUNT_REASONING,
  K.ATTR_AI_USAGE_OUTPUT_REASONING_TOKENS,
  K.ATTR_AI_USAGE_REASONING_TOKENS,
]

export const hasUsage = (u: TokenUsage) =>
  u.inputTokens > 0 || u.outputTokens > 0 || u.cachedInputTokens > 0 || u.cacheWriteTokens > 0 || u.reasoningTokens > 0

export function extractUsage(attrs: Attributes): TokenUsage {
  const langfuse = asObject(attrs[K.ATTR_LANGFUSE_OBSERVATION_USAGE_DETAILS])
  if (langfuse) return fromLangfuseUsage(langfuse)
  return withProviderUsage(attrs, fromUsageKeys(attrs))
}

function fromUsageKeys(attrs: Attributes): TokenUsage {
  const cachedInputTokens = firstInt(attrs, CACHE_READ_KEYS) ?? 0
  const cacheWriteTokens = firstInt(attrs, CACHE_WRITE_KEYS) ?? 0
  const noCache = firstInt(attrs, [K.ATTR_AI_USAGE_INPUT_NO_CACHE_TOKENS])
  const reported = firstInt(attrs, INPUT_KEYS) ?? (noCache === undefined ? 0 : undefined)
  const inputTokens =
    reported === undefined
      ? (noCache ?? 0) + cachedInputTokens + cacheWriteTokens
      : inclusiveInput(reported, cachedInputTokens, cacheWriteTokens)
  return {
    inputTokens,
    outputTokens: firstInt(attrs, OUTPUT_KEYS) ?? 0,
    cachedInputTokens,
    cacheWriteTokens,
    reasoningTokens: firstInt(attrs, REASONING_KEYS) ?? 0,
  }
}

/**
 * An inclusive count can never be below its cached part; when it is, the instrumentation copied
 * Anthropic's `input_tokens`, which excludes cache reads and writes.
 */
function inclusiveInput(input: number, cacheRead: number, cacheWrite: number): number {
  return input < cacheRead + cacheWrite ? input + cacheRead + cacheWrite : input
}

const MODEL_KEYS = [
  K.ATTR_GEN_AI_RESPONSE_MODEL,
  K.ATTR_GEN_AI_REQUEST_MODEL,
  K.ATTR_OI_LLM_MODEL_NAME,
  K.ATTR_AI_RESPONSE_MODEL,
  K.ATTR_AI_MODEL_ID,
  K.ATTR_LANGFUSE_OBSERVATION_MODEL_NAME,
]

export function extractModel(attrs: Attributes): string {
  return firstString(attrs, MODEL_KEYS)
}
