/**
 * Seeded fixtures for the analytics tests: OTLP traces through the real edge (varied agents,
 * models, tools, users, releases, environments, tool errors, an unpriced model), plus rows written
 * straight to the store for what OTLP fixtures do not easily produce (reported cost, cache tokens).
 */
import { mulberry32 } from '../../bench/generator.js'
import type { TraceSpec } from '@sightline/testkit/otlp-json'

export const T0 = Date.parse('2026-03-01T10:00:00Z')

export function traceSpecs(count: number, seed = 7): TraceSpec[] {
  const rand = mulberry32(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T
  return Array.from({ length: count }, (_, i) => {
    const model = pick(['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'acme-llm-1'] as const)
    return {
      seed: `analytics-${seed}-${i}`,
      // Spread over ~3 hours with gaps, so that some 5-minute buckets are empty.
      startMs: T0 + Math.floor(rand() * 36) * 300_000 + Math.floor(rand() * 200_000),
      agent: pick(['planner', 'executor', 'critic']),
      model,
      provider: model === 'acme-llm-1' ? 'acme' : model.startsWith('claude') ? 'anthropic' : 'openai',
      inputTokens: 100 + Math.floor(rand() * 5000),
      outputTokens: 10 + Math.floor(rand() * 800),
      cachedInputTokens: rand() < 0.3 ? 50 : 0,
      llmCalls: 1 + Math.floor(rand() * 3),
      tools:
        rand() < 0.7
          ? [{ name: pick(['search', 'sql', 'browse']), ...(rand() < 0.25 ? { error: 'boom' } : { result: 'ok' }) }]
          : [],
      userId: pick(['alice', 'bob', 'carol', '']) || undefined,
      release: pick(['1.0.0', '1.1.0']),
      environment: pick(['prod', 'staging']),
      durationMs: 500 + Math.floor(rand() * 20_000),
    }
  })
}

/** Rows the OTLP factory cannot express: a client-reported cost and cache writes. */
export function directRows(projectId: string): object[] {
  const base = {
    project_id: projectId,
    trace_id: 'f'.repeat(32),
    name: 'chat',
    kind: 'llm',
    model: 'gpt-4o',
    provider: 'openai',
    is_llm_call: true,
    agent_name: 'planner',
    status: 'ok',
    service_version: '1.0.0',
    environment: 'prod',
  }
  return [
    {
      ...base,
      span_id: 'a'.repeat(16),
      parent_span_id: '',
      kind: 'agent',
      is_llm_call: false,
      model: '',
      name: 'invoke_agent planner',
      start_time: '2026-03-01 11:00:00',
      end_time: '2026-03-01 11:00:05',
      duration_ms: 5000,
    },
    {
      ...base,
      span_id: 'b'.repeat(16),
      parent_span_id: 'a'.repeat(16),
      start_time: '2026-03-01 11:00:01',
      end_time: '2026-03-01 11:00:02',
      duration_ms: 1000,
      input_tokens: 1000,
      output_tokens: 100,
      cost_usd: '0.5',
      cost_source: 'reported',
    },
    {
      ...base,
      span_id: 'c'.repeat(16),
      parent_span_id: 'a'.repeat(16),
      start_time: '2026-03-01 11:00:02',
      end_time: '2026-03-01 11:00:04',
      duration_ms: 2000,
      input_tokens: 3000,
      cached_input_tokens: 1000,
      cache_write_tokens: 500,
      output_tokens: 300,
      reasoning_tokens: 100,
      cost_usd: '0.01',
      cost_source: 'table',
      status: 'error',
    },
  ]
}
