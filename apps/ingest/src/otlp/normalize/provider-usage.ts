/**
 * Usage objects exactly as a provider returned them, found inside a JSON attribute. Some libraries
 * report part of the usage only there:
 *
 * - ADK's `gen_ai.usage.output_tokens` is Gemini's `candidatesTokenCount` alone (thoughts left out)
 *   and it writes no cached count; the `usageMetadata` in `gcp.vertex.agent.llm_response` is
 *   complete, so it replaces the attributes.
 * - AI SDK 4 writes cached and reasoning tokens of OpenAI calls only in
 *   `ai.response.providerMetadata`; they complete the attributes, which stay authoritative.
 *
 * Each provider shape is read with the provider's billing semantics (as genai-prices reads it), then
 * expressed in the OTel meaning: input includes cached, output includes reasoning.
 */
import * as K from '@sightline/schema/semconv'
import type { AttrValue, Attributes } from '../types.js'
import { asObject, isObject, toInt, type JsonObject } from './attributes.js'
import type { TokenUsage } from './usage.js'

type Shape = (usage: JsonObject) => Partial<TokenUsage> | undefined

const count = (usage: JsonObject, key: string): number | undefined => toInt(usage[key])

/** Gemini `usageMetadata`: thoughts are billed as output beside the candidates; tool-use prompt tokens as input. */
const gemini: Shape = (u) => {
  const prompt = count(u, 'promptTokenCount')
  const candidates = count(u, 'candidatesTokenCount')
  if (prompt === undefined && candidates === undefined) return undefined
  const thoughts = count(u, 'thoughtsTokenCount') ?? 0
  return {
    inputTokens: (prompt ?? 0) + (count(u, 'toolUsePromptTokenCount') ?? 0),
    outputTokens: (candidates ?? 0) + thoughts,
    cachedInputTokens: count(u, 'cachedContentTokenCount') ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  }
}

/** AI SDK's OpenAI provider metadata: parts of the (inclusive) prompt and completion counts. */
const aiSdkOpenAi: Shape = (u) => {
  const cached = count(u, 'cachedPromptTokens')
  const reasoning = count(u, 'reasoningTokens')
  if (cached === undefined && reasoning === undefined) return undefined
  return {
    ...(cached !== undefined && { cachedInputTokens: cached }),
    ...(reasoning !== undefined && { reasoningTokens: reasoning }),
  }
}

interface Source {
  key: string
  path: readonly string[]
  shape: Shape
  /** `replace`: the object is the whole usage; `complete`: it only fills counts the attributes lack. */
  mode: 'replace' | 'complete'
}

const SOURCES: readonly Source[] = [
  { key: K.ATTR_ADK_LLM_RESPONSE, path: ['usageMetadata'], shape: gemini, mode: 'replace' },
  { key: K.ATTR_AI_RESPONSE_PROVIDER_METADATA, path: ['openai'], shape: aiSdkOpenAi, mode: 'complete' },
]

function at(attrs: Attributes, source: Source): JsonObject | undefined {
  let node: AttrValue | undefined = asObject(attrs[source.key])
  for (const segment of source.path) node = isObject(node) ? node[segment] : undefined
  return isObject(node) ? node : undefined
}

/**
 * `fromAttributes` with what provider-shaped usage adds: a complete replacement, or the cached and
 * reasoning counts the attributes did not carry (zero there means "not reported" for these keys).
 */
export function withProviderUsage(attrs: Attributes, fromAttributes: TokenUsage): TokenUsage {
  let usage = fromAttributes
  for (const source of SOURCES) {
    const object = at(attrs, source)
    const found = object && source.shape(object)
    if (!found) continue
    if (source.mode === 'replace') return { ...usage, ...found }
    usage = {
      ...usage,
      cachedInputTokens: usage.cachedInputTokens || (found.cachedInputTokens ?? 0),
      reasoningTokens: usage.reasoningTokens || (found.reasoningTokens ?? 0),
    }
  }
  return usage
}
