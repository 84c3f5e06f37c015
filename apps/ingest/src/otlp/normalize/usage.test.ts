import { describe, expect, it } from 'vitest'
import type { Attributes } from '../types.js'
import { extractProvider } from './provider.js'
import { extractModel, extractUsage } from './usage.js'

describe('extractUsage', () => {
  it.each<[string, Attributes, Partial<ReturnType<typeof extractUsage>>]>([
    [
      'OTel current',
      { 'gen_ai.usage.input_tokens': 52, 'gen_ai.usage.output_tokens': 18 },
      { inputTokens: 52, outputTokens: 18 },
    ],
    [
      'OTel deprecated',
      { 'gen_ai.usage.prompt_tokens': 5, 'gen_ai.usage.completion_tokens': 3 },
      { inputTokens: 5, outputTokens: 3 },
    ],
    [
      'OTel cache + reasoning',
      {
        'gen_ai.usage.input_tokens': 52,
        'gen_ai.usage.cache_read.input_tokens': 10,
        'gen_ai.usage.cache_creation.input_tokens': 2,
        'gen_ai.usage.reasoning.output_tokens': 4,
      },
      { inputTokens: 52, cachedInputTokens: 10, cacheWriteTokens: 2, reasoningTokens: 4 },
    ],
    [
      'OpenInference',
      {
        'llm.token_count.prompt': 52,
        'llm.token_count.completion': 18,
        'llm.token_count.prompt_details.cache_read': 10,
        'llm.token_count.prompt_details.cache_write': 1,
        'llm.token_count.completion_details.reasoning': 4,
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, cacheWriteTokens: 1, reasoningTokens: 4 },
    ],
    ['AI SDK v4', { 'ai.usage.promptTokens': 7, 'ai.usage.completionTokens': 2 }, { inputTokens: 7, outputTokens: 2 }],
    [
      'AI SDK v6',
      {
        'ai.usage.inputTokens': 52,
        'ai.usage.outputTokens': 18,
        'ai.usage.cachedInputTokens': 10,
        'ai.usage.reasoningTokens': 4,
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, reasoningTokens: 4 },
    ],
    [
      'AI SDK v6 details only',
      {
        'ai.usage.inputTokenDetails.noCacheTokens': 42,
        'ai.usage.inputTokenDetails.cacheReadTokens': 10,
        'ai.usage.inputTokenDetails.cacheWriteTokens': 3,
        'ai.usage.outputTokenDetails.reasoningTokens': 4,
      },
      { inputTokens: 55, cachedInputTokens: 10, cacheWriteTokens: 3, reasoningTokens: 4 },
    ],
    ['int64 as string', { 'gen_ai.usage.input_tokens': '12' }, { inputTokens: 12 }],
    [
      'Anthropic-style input excluding cache',
      {
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.cache_read_input_tokens': 100,
        'gen_ai.usage.cache_creation_input_tokens': 30,
      },
      { inputTokens: 150, cachedInputTokens: 100, cacheWriteTokens: 30 },
    ],
    [
      'Langfuse usage_details JSON (input excludes cache)',
      {
        'langfuse.observation.usage_details':
          '{"input":42,"output":18,"input_cached_tokens":10,"output_reasoning_tokens":4,"total":70}',
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, reasoningTokens: 4 },
    ],
    [
      'Langfuse structured with cache write',
      {
        'langfuse.observation.usage_details': {
          input: 5,
          output: 1,
          cache_read_input_tokens: 7,
          cache_creation_input_tokens: 3,
        },
      },
      { inputTokens: 15, cachedInputTokens: 7, cacheWriteTokens: 3 },
    ],
    [
      'Langfuse with a total that counts the cache inside input (OpenAI-style client)',
      {
        'langfuse.observation.usage_details':
          '{"input":52,"output":18,"input_cached_tokens":10,"output_reasoning_tokens":4,"total":70}',
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, reasoningTokens: 4 },
    ],
    [
      'Langfuse with a total that adds every key (its own integrations)',
      {
        'langfuse.observation.usage_details': {
          input: 42,
          output: 14,
          input_cached_tokens: 10,
          output_reasoning_tokens: 4,
          total: 70,
        },
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, reasoningTokens: 4 },
    ],
    [
      'Langfuse without a total: every key adds (as Langfuse sums it)',
      {
        'langfuse.observation.usage_details': {
          input: 42,
          output: 14,
          cache_read_input_tokens: 10,
          output_reasoning_tokens: 4,
        },
      },
      { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, reasoningTokens: 4 },
    ],
    [
      'AI SDK 4: cached and reasoning only in OpenAI provider metadata',
      {
        'ai.usage.promptTokens': 230,
        'ai.usage.completionTokens': 46,
        'ai.response.providerMetadata': '{"openai":{"cachedPromptTokens":128,"reasoningTokens":32}}',
      },
      { inputTokens: 230, outputTokens: 46, cachedInputTokens: 128, reasoningTokens: 32 },
    ],
    [
      'provider metadata never overrides counts the attributes carry',
      {
        'ai.usage.cachedInputTokens': 5,
        'ai.usage.inputTokens': 20,
        'ai.response.providerMetadata': { openai: { cachedPromptTokens: 9 } },
      },
      { inputTokens: 20, cachedInputTokens: 5 },
    ],
    [
      'ADK: Gemini usageMetadata replaces gen_ai.usage.* (which leaves thoughts out)',
      {
        'gen_ai.usage.input_tokens': 412,
        'gen_ai.usage.output_tokens': 16,
        'gcp.vertex.agent.llm_response':
          '{"usageMetadata":{"promptTokenCount":412,"candidatesTokenCount":16,"thoughtsTokenCount":22,' +
          '"toolUsePromptTokenCount":3}}',
      },
      { inputTokens: 415, outputTokens: 38, cachedInputTokens: 0, reasoningTokens: 22 },
    ],
    ['nothing', {}, { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }],
  ])('%s', (_label, attrs, want) => {
    expect(extractUsage(attrs)).toMatchObject(want)
  })
})

describe('model and provider', () => {
  it('prefers the response model over the request model and AI SDK ids', () => {
    const attrs = { 'ai.model.id': 'a', 'gen_ai.request.model': 'b', 'gen_ai.response.model': 'c' }
    expect(extractModel(attrs)).toBe('c')
    expect(extractModel({ 'ai.model.id': 'a', 'llm.model_name': 'd' })).toBe('d')
    expect(extractModel({ 'langfuse.observation.model.name': 'e' })).toBe('e')
  })

  it('normalises AI SDK provider ids to the vendor', () => {
    expect(extractProvider({ 'ai.model.provider': 'openai.chat' })).toBe('openai')
    expect(extractProvider({ 'gen_ai.system': 'Anthropic', 'llm.provider': 'x' })).toBe('anthropic')
    expect(extractProvider({ 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.system': 'x' })).toBe('aws')
  })

  it('maps names the vendor prefix gets wrong: OTel gcp.*, ADK naming itself, LangChain ls_provider', () => {
    expect(extractProvider({ 'gen_ai.provider.name': 'gcp.vertex_ai' })).toBe('google')
    expect(extractProvider({ 'gen_ai.system': 'gcp.vertex.agent' })).toBe('google')
    expect(extractProvider({ 'gen_ai.provider.name': 'x_ai' })).toBe('x-ai')
    expect(extractProvider({ 'ai.model.provider': 'azure-openai.chat' })).toBe('azure')
    expect(extractProvider({ metadata: '{"ls_provider":"bedrock"}' })).toBe('aws')
    expect(extractProvider({ 'llm.provider': 'openai', metadata: '{"ls_provider":"azure_openai"}' })).toBe('openai')
  })
})
