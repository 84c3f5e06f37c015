import { SPAN_INSERT_COLUMNS, type SpanRowInsert } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { makeSpanRow } from '../../../test/factories/span-row.js'
import {
  COLUMN_RULES,
  makeStorable,
  MAX_TOKENS,
  mayHoldLoneSurrogates,
  storableCost,
  TEXT_COLUMNS,
} from './storable.js'

const row = (overrides: Partial<SpanRowInsert> = {}) =>
  makeSpanRow({
    trace_id: 'a'.repeat(32),
    span_id: 'b'.repeat(16),
    start_time: '2026-01-01 00:00:00.000000000',
    end_time: '2026-01-01 00:00:01.000000000',
    ...overrides,
  })

const llm = (overrides: Partial<SpanRowInsert> = {}) =>
  row({
    is_llm_call: true,
    input_tokens: 10,
    output_tokens: 5,
    cost_usd: '0.001',
    cost_source: 'genai-prices@0.1.8',
    ...overrides,
  })

describe('start time: rejected outside what every time column and rollup bucket holds', () => {
  it.each([
    ['2554-07-21 23:34:33.709551615', 'the largest fixed64'],
    ['2300-01-01 00:00:00.000000000', 'past DateTime64(9)'],
    ['2106-02-07 06:28:16.000000000', 'past the rollups DateTime'],
    ['1969-12-31 23:59:59.999999999', 'before 1970'],
  ])('%s (%s)', (start) => {
    const result = makeStorable(row({ start_time: start, end_time: start }))
    expect(result).toMatchObject({ ok: false, field: 'start_time' })
    expect(result.ok || result.reason).toMatch(/^start time out of range/)
  })

  it('keeps both ends of the range', () => {
    expect(makeStorable(row({ start_time: '1970-01-01 00:00:00.000000001' })).ok).toBe(true)
    expect(
      makeStorable(row({ start_time: '2106-02-07 06:28:15.999999999', end_time: '2106-02-07 06:28:15.999999999' })).ok,
    ).toBe(true)
  })
})

it('an end time out of range is clamped to the start, flagged, raw value kept', () => {
  const r = row({ end_time: '2554-07-21 23:34:33.709551615', duration_ms: 1e12 })
  expect(makeStorable(r)).toEqual({ ok: true, clamped: ['end_time'] })
  expect(r).toMatchObject({ end_time: r.start_time, duration_ms: 0 })
  expect(r.flags).toContain('invalid_end_time')
  expect(r.attributes['sightline.invalid.end_time']).toBe('2554-07-21 23:34:33.709551615')
})

it.each([300, -1, 1.5])('otel kind %s becomes 0 (UInt8 would wrap or refuse)', (kind) => {
  const r = row({ otel_kind: kind })
  expect(makeStorable(r)).toEqual({ ok: true, clamped: ['otel_kind'] })
  expect(r.otel_kind).toBe(0)
  expect(r.flags).toContain('invalid_otel_kind')
})

it.each([NaN, Infinity, -1])('a duration of %s becomes 0', (duration) => {
  const r = row({ duration_ms: duration })
  expect(makeStorable(r)).toEqual({ ok: true, clamped: ['duration_ms'] })
  expect(r.duration_ms).toBe(0)
})

describe('token counts: all five cleared with invalid_usage, the computed cost dropped', () => {
  it.each([
    ['input_tokens', -5],
    ['output_tokens', 1e308],
    ['cached_input_tokens', 99999999999999999999],
    ['reasoning_tokens', 1.5],
    ['cache_write_tokens', NaN],
    ['input_tokens', MAX_TOKENS + 1],
  ] as const)('%s = %s', (field, value) => {
    const r = llm({ [field]: value })
    expect(makeStorable(r)).toEqual({ ok: true, clamped: ['tokens'] })
    expect([r.input_tokens, r.output_tokens, r.cached_input_tokens, r.cache_write_tokens, r.reasoning_tokens]).toEqual([
      0, 0, 0, 0, 0,
    ])
    expect(r).toMatchObject({ cost_usd: null, cost_source: '', is_unpriced: true })
    expect(r.flags).toContain('invalid_usage')
  })

  it('a cost the client reported is kept', () => {
    const r = llm({ input_tokens: -1, cost_usd: '0.25', cost_source: 'reported' })
    makeStorable(r)
    expect(r).toMatchObject({ cost_usd: '0.25', cost_source: 'reported', input_tokens: 0 })
  })

  it('the largest allowed count is stored as is', () => {
    const r = llm({ input_tokens: MAX_TOKENS })
    expect(makeStorable(r)).toEqual({ ok: true, clamped: [] })
    expect(r.input_tokens).toBe(MAX_TOKENS)
  })
})

describe('cost: Decimal(18, 10)', () => {
  it.each([
    ['0.001', '0.001'],
    ['99999999.9999999999', '99999999.9999999999'],
    ['0.123456789012345678', '0.1234567890'],
    ['00012.5', '12.5'],
  ])('%s is stored as %s', (text, stored) => {
    expect(storableCost(text)).toBe(stored)
  })

  it.each(['100000000', '123456789012345678901234567890', '1e+302', '-1', 'NaN'])(
    '%s makes the call unpriced',
    (text) => {
      const r = llm({ cost_usd: text, cost_source: 'reported' })
      expect(makeStorable(r)).toEqual({ ok: true, clamped: ['cost_usd'] })
      expect(r).toMatchObject({ cost_usd: null, cost_source: '', is_unpriced: true })
      expect(r.flags).toContain('invalid_cost')
      expect(r.attributes['sightline.invalid.cost_usd']).toBe(text)
    },
  )
})

describe('text: lone surrogates become U+FFFD everywhere', () => {
  it('in string columns', () => {
    const r = row({
      name: 'a\ud800b',
      status_message: '\udfff',
      input: 'ok \ud83d\ude00 \ud83d',
      trace_state: 'x\udc00',
    })
    expect(makeStorable(r)).toEqual({ ok: true, clamped: ['text'] })
    expect(r).toMatchObject({
      name: 'a\ufffdb',
      status_message: '\ufffd',
      input: 'ok \ud83d\ude00 \ufffd',
      trace_state: 'x\ufffd',
    })
    expect(r.flags).toContain('invalid_text')
  })

  it('in map keys and values, without touching a shared resource map', () => {
    const shared = { 'service.name': 'svc', 'k\ud800': 'v' }
    const r = row({ attributes: { 'a\udbff': 'b\udc00', plain: 'x' }, resource_attributes: shared })
    makeStorable(r)
    expect(r.attributes).toEqual({ 'a\ufffd': 'b\ufffd', plain: 'x' })
    expect(r.resource_attributes).toEqual({ 'service.name': 'svc', 'k\ufffd': 'v' })
    expect(shared).toEqual({ 'service.name': 'svc', 'k\ud800': 'v' })
  })

  it('in event and link JSON, keys included', () => {
    const events = JSON.stringify([{ time: 't', name: 'e\ud800', attributes: { 'k\udc00': 'v' } }])
    const r = row({ events, links: JSON.stringify([{ traceId: '', spanId: '', attributes: { a: '\ud800' } }]) })
    makeStorable(r)
    expect(JSON.parse(r.events)).toEqual([{ time: 't', name: 'e\ufffd', attributes: { 'k\ufffd': 'v' } }])
    expect(JSON.parse(r.links)).toEqual([{ traceId: '', spanId: '', attributes: { a: '\ufffd' } }])
  })

  it('leaves well-formed text alone, including an escaped-looking literal and control characters', () => {
    const r = row({
      name: 'a\\ud800 \u0000\u0001',
      events: JSON.stringify([{ name: 'lit \\ud800' }]),
      attributes: { '': '\u0000' },
    })
    const before = structuredClone(r)
    expect(makeStorable(r)).toEqual({ ok: true, clamped: [] })
    expect(r).toEqual(before)
  })
})

describe('every column has a rule', () => {
  it('covers exactly the columns an insert writes', () => {
    expect(Object.keys(COLUMN_RULES).sort()).toEqual([...SPAN_INSERT_COLUMNS].sort())
  })

  it('repairs every text column', () => {
    const r = row(Object.fromEntries(TEXT_COLUMNS.map((c) => [c, `${c}\ud800`])))
    makeStorable(r)
    for (const column of TEXT_COLUMNS) expect(r[column], column).toBe(`${column}\ufffd`)
  })

  it('skips the per-string checks when told the body cannot hold a lone surrogate', () => {
    const r = row({ name: 'a\ud800' })
    expect(makeStorable(r, false)).toEqual({ ok: true, clamped: [] })
  })
})

describe('mayHoldLoneSurrogates (the per-body pre-check)', () => {
  it.each([
    ['{"name":"\\ud800"}', true],
    ['{"name":"\\uDBFF"}', true],
    ['{"v":"{\\"a\\":\\"\\\\ud800\\"}"}', true],
    ['{"name":"caf\\u00e9 😀"}', false],
    ['{"name":"plain"}', false],
  ])('%s → %s', (body, expected) => {
    expect(mayHoldLoneSurrogates(Buffer.from(body))).toBe(expected)
  })
})
