import { findProvider } from '@pydantic/genai-prices'

// Spans name providers three ways: OTel `gen_ai.provider.name` (`aws.bedrock`, `x_ai`), the AI SDK's
// `<provider>.<api>` (`openai.chat`, `groq.chat`) and plain ids (`openai`). genai-prices' own
// `provider_match` covers most of them, but not all, and it maps Azure OpenAI onto OpenAI (it
// contains "openai"). These are the names it gets wrong or misses.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['aws.bedrock', 'aws'],
  ['amazon-bedrock', 'aws'],
  ['gcp.vertex_ai', 'google'],
  ['gcp.gemini', 'google'],
  ['gcp.gen_ai', 'google'],
  ['azure.ai.openai', 'azure'],
  ['azure.ai.inference', 'azure'],
  ['azure-openai', 'azure'],
  ['x_ai', 'x-ai'],
  ['xai', 'x-ai'],
  ['mistral_ai', 'mistral'],
  ['togetherai', 'together'],
])

/**
 * Maps a span's provider name onto a genai-prices provider id, or undefined when there is no
 * obvious one, in which case the caller lets genai-prices pick the provider from the model name.
 *
 * @example
 * toGenaiProviderId('aws.bedrock') // 'aws'
 * toGenaiProviderId('groq.chat') // 'groq'
 * toGenaiProviderId('mock-provider') // undefined
 */
export function toGenaiProviderId(provider: string): string | undefined {
  const name = provider.trim().toLowerCase()
  if (name === '') return undefined
  const alias = ALIASES.get(name)
  if (alias !== undefined) return alias
  const head = name.split('.')[0] ?? name
  if (head === 'azure' || head === 'az') return 'azure'
  return ALIASES.get(head) ?? findProvider({ providerId: name })?.id ?? findProvider({ providerId: head })?.id
}
