import type { SpanRowInsert } from '@sightline/schema'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeSpanRow } from '../../test/factories/span-row.js'
import { priceRows } from './price-spans.js'

function row(overrides: Partial<SpanRowInsert>): SpanRowInsert {
  return makeSpanRow({
    project_id: 'p1',
    trace_id: 't1',
    span_id: 's1',
    name: 'chat gpt-4o',
    kind: 'llm',
    otel_kind: 3,
    start_time: '2025-01-15 12:00:00.123456789',
    end_time: '2025-01-15 12:00:01.123456789',
    operation: 'chat',
    model: 'gpt-4o',
    provider: 'openai',
    is_llm_call: true,
    ...overrides,
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('priceRows', () => {
  it('prices gpt-4o with cached and reasoning tokens from the bundled price', () => {
    const r = row({ input_tokens: 52, output_tokens: 18, cached_input_tokens: 10, reasoning_tokens: 4 })
    priceRows([r])
    // gpt-4o: $2.50 in, $1.25 cached, $10 out per Mtok. 42 × 2.5 + 10 × 1.25 + 18 × 10 = 297.5 µ$;
    // the 4 reasoning tokens are inside the 18 output tokens.
    expect(r.cost_usd).toBe('0.0002975')
    expect(r.cost_source).toBe('genai-prices@0.1.8')
    expect(r.is_unpriced).toBe(false)
  })

  it('resolves dated model names with an empty provider', () => {
    const r = row({ model: 'gpt-4o-mini-2024-07-18', provider: '', input_tokens: 1_000_000, output_tokens: 1_000_000 })
    priceRows([r])
    // gpt-4o-mini: $0.15 in + $0.60 out per Mtok.
    expect(r.cost_usd).toBe('0.75')
  })

  it('prices o3 at each span timestamp, before and after the 2025-06-10 price cut', () => {
    const before = row({
      model: 'o3',
      start_time: '2025-06-09 23:59:59.000000000',
      input_tokens: 1000,
      output_tokens: 1000,
    })
    const after = row({
      model: 'o3',
      start_time: '2025-06-10 00:00:00.000000000',
      input_tokens: 1000,
      output_tokens: 1000,
    })
    priceRows([before, after])
    // $10 + $40 per Mtok before, $2 + $8 after.
    expect(before.cost_usd).toBe('0.05')
    expect(after.cost_usd).toBe('0.01')
  })

  it('bills Anthropic cache writes at the write price and reads at the read price', () => {
    const r = row({
      model: 'claude-3-5-sonnet-20241022',
      provider: 'anthropic',
      input_tokens: 2600,
      cached_input_tokens: 2000,
      cache_write_tokens: 500,
      output_tokens: 100,
    })
    priceRows([r])
    // claude-3-5-sonnet per Mtok: $3 in, $0.30 read, $3.75 write, $15 out.
    // 100 × 3 + 2000 × 0.3 + 500 × 3.75 + 100 × 15 = 4275 µ$
    expect(r.cost_usd).toBe('0.004275')
  })

  it('maps AI SDK provider names (openai.chat) onto genai-prices providers', () => {
    const r = row({ model: 'gpt-4o', provider: 'openai.chat', input_tokens: 1_000_000 })
    priceRows([r])
    expect(r.cost_usd).toBe('2.5')
  })

  it('marks unknown and missing models unpriced with a null cost, never 0', () => {
    const unknown = row({ model: 'mock-model-id', provider: 'mock-provider', input_tokens: 10, cost_usd: '1' })
    const noModel = row({ model: '', provider: 'openai', input_tokens: 10 })
    priceRows([unknown, noModel])
    for (const r of [unknown, noModel]) {
      expect(r.cost_usd).toBeNull()
      expect(r.is_unpriced).toBe(true)
    }
  })

  it('keeps a reported cost', () => {
    const r = row({ cost_usd: '0.123', cost_source: 'reported', input_tokens: 52, output_tokens: 18 })
    priceRows([r])
    expect(r).toMatchObject({ cost_usd: '0.123', cost_source: 'reported', is_unpriced: false })
  })

  it('leaves non-LLM rows untouched', () => {
    const r = row({ is_llm_call: false, kind: 'tool', model: 'gpt-4o', input_tokens: 52 })
    const before = structuredClone(r)
    priceRows([r])
    expect(r).toEqual(before)
    expect(r.cost_usd).toBeNull()
    expect(r.is_unpriced).toBe(false)
  })

  it('never reaches for the network', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    priceRows([row({ input_tokens: 1 }), row({ model: 'o3', input_tokens: 1 }), row({ model: 'mock-model-id' })])
    expect(fetchSpy).not.toHaveBeenCalled()
  })
})
