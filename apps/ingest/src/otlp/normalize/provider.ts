/**
 * The provider of a model call, as the id genai-prices and the console use (`openai`, `google`,
 * `aws`). Conventions name it three ways: OTel `gen_ai.provider.name` (`gcp.vertex_ai`, `x_ai`),
 * the AI SDK's `<provider>.<api>` (`openai.chat`), and plain ids; some frameworks put their own
 * name there (ADK's `gcp.vertex.agent`) or put the provider only in run metadata (LangChain's
 * `ls_provider`). The names that the "vendor before the first dot" rule gets wrong are data below.
 */
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { asObject, firstString, toText } from './attributes.js'

const PROVIDER_KEYS = [
  K.ATTR_GEN_AI_PROVIDER_NAME,
  K.ATTR_GEN_AI_SYSTEM,
  K.ATTR_OI_LLM_PROVIDER,
  K.ATTR_OI_LLM_SYSTEM,
  K.ATTR_AI_MODEL_PROVIDER,
]

/** Whole names (checked before the vendor prefix is cut), lower case. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  // ADK names itself in gen_ai.system; its model calls go to Gemini (Google AI or Vertex AI).
  ['gcp.vertex.agent', 'google'],
  ['gcp.vertex_ai', 'google'],
  ['gcp.gemini', 'google'],
  ['gcp.gen_ai', 'google'],
  ['x_ai', 'x-ai'],
  ['xai', 'x-ai'],
  ['mistral_ai', 'mistral'],
  ['mistralai', 'mistral'],
  ['amazon-bedrock', 'aws'],
  ['azure-openai', 'azure'],
  // LangChain `ls_provider` values.
  ['google_genai', 'google'],
  ['google_vertexai', 'google'],
  ['bedrock', 'aws'],
  ['amazon_bedrock', 'aws'],
  ['azure_openai', 'azure'],
])

/** Where LangChain (OpenInference) keeps the provider when no provider attribute is set. */
const METADATA_PROVIDER_KEYS = ['ls_provider']

export function extractProvider(attrs: Attributes): string {
  const raw = firstString(attrs, PROVIDER_KEYS) || fromRunMetadata(attrs)
  return normalizeProvider(raw)
}

function normalizeProvider(raw: string): string {
  const name = raw.trim().toLowerCase()
  const whole = ALIASES.get(name)
  if (whole !== undefined) return whole
  const vendor = name.split('.')[0] ?? ''
  return ALIASES.get(vendor) ?? vendor
}

function fromRunMetadata(attrs: Attributes): string {
  const metadata = asObject(attrs[K.ATTR_OI_METADATA])
  if (!metadata) return ''
  for (const key of METADATA_PROVIDER_KEYS) {
    const value = metadata[key]
    if (value !== undefined && value !== null && value !== '') return toText(value)
  }
  return ''
}
