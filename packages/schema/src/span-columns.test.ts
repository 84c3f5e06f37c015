import { describe, expect, it } from 'vitest'
import type { Span } from './span.js'
import { decodeSpanColumns, encodeSpanColumns, SpanColumnsSchema, TraceSkeletonResponseSchema } from './span-columns.js'

const hex = (n: number, length: number) => n.toString(16).padStart(length, '0')

function span(i: number, over: Partial<Span> = {}): Span {
  return {
    traceId: 'a'.repeat(32),
    spanId: hex(i + 1, 16),
    parentSpanId: i === 0 ? '' : hex(Math.ceil(i / 2), 16),
    name: `step ${i % 3}`,
    kind: i % 2 ? 'tool' : 'llm',
    startTime: `2026-12-06T03:20:0${i % 10}.123456789Z`,
    endTime: `2026-12-06T03:21:0${i % 10}.000000001Z`,
    durationMs: 1000.5 + i,
    status: i === 3 ? 'error' : 'ok',
    statusMessage: i === 3 ? 'boom' : '',
    errorType: '',
    serviceName: 'svc',
    serviceVersion: '1.2',
    environment: 'prod',
    agentName: i % 4 ? 'planner' : '',
    operation: 'chat',
    model: 'gpt',
    provider: 'openai',
    isLlmCall: i % 2 === 0,
    llmRole: i % 2 === 0 ? 'call' : 'none',
    toolRole: i % 2 ? 'call' : 'none',
    isDelegation: i === 5,
    delegateTo: i === 5 ? 'researcher' : '',
    failed: i === 3,
    failureInferred: false,
    inputTokens: i * 10,
    outputTokens: i,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 2,
    costUsd: i === 4 ? null : 0.001 * i,
    costSource: i === 4 ? '' : 'catalog',
    isUnpriced: i === 4,
    toolName: i % 2 ? 'search' : '',
    toolCallId: i % 2 ? `call_${i}` : '',
    toolArguments: '',
    toolResult: '',
    input: '',
    output: '',
    sessionId: 's1',
    userId: 'u1',
    attributes: {},
    resourceAttributes: {},
    events: [],
    flags: i === 5 ? ['a2a:client'] : i === 6 ? ['mcp:client', 'human_escalation'] : [],
    ...over,
  }
}

describe('span columns', () => {
  it('decode(encode(spans)) gives back the skeleton spans exactly', () => {
    const spans = Array.from({ length: 40 }, (_, i) => span(i))
    const wire = encodeSpanColumns(spans)
    const columns = SpanColumnsSchema.parse(JSON.parse(JSON.stringify(wire)))
    expect(decodeSpanColumns(columns)).toEqual(spans)
    expect(decodeSpanColumns(columns, 10, 12)).toEqual(spans.slice(10, 12))
    // Repeated text goes once into its dictionary.
    expect(columns.name.values).toEqual(['step 0', 'step 1', 'step 2'])
    expect(wire.traceId).toEqual({ values: ['a'.repeat(32)] })
    expect(wire.name.index).toEqual(expect.any(String))
  })

  it('packs an index in ASCII, one character per span up to 64 values and wider past that', () => {
    const spans = Array.from({ length: 5_000 }, (_, i) => span(i % 40, { spanId: hex(i + 1, 16), name: `n${i}` }))
    const wire = encodeSpanColumns(spans)
    expect(wire.kind.index).toMatch(/^[AB]{5000}$/)
    expect(wire.name.index).toHaveLength(5_000 * 3)
    expect(JSON.stringify(wire)).toMatch(/^[\x20-\x7e]*$/)
    const decoded = decodeSpanColumns(SpanColumnsSchema.parse(JSON.parse(JSON.stringify(wire))))
    expect(decoded).toEqual(spans)
  })

  it('index widths follow the dictionary size at each boundary', () => {
    for (const [distinct, width] of [
      [2, 1],
      [64, 1],
      [65, 2],
      [4_096, 2],
      [4_097, 3],
    ] as const) {
      const spans = Array.from({ length: distinct }, (_, i) => span(0, { spanId: hex(i + 1, 16), name: `n${i}` }))
      const wire = encodeSpanColumns(spans)
      expect(wire.name.index).toHaveLength(distinct * width)
      expect(decodeSpanColumns(SpanColumnsSchema.parse(wire)).map((s) => s.name)).toEqual(spans.map((s) => s.name))
    }
  })

  it('refuses a per-span text value with a newline, which would decode as two spans', () => {
    expect(() => encodeSpanColumns([span(0), span(1, { startTime: '2026-12-06T03:20:01Z\nx' })])).toThrow(/newline/)
  })

  it('dictionaries follow runs and returns to earlier values alike', () => {
    const names = ['a', 'a', 'b', 'a', 'c', 'c', 'b', 'a']
    const spans = names.map((name, i) => span(i, { name, flags: i % 3 ? ['x', 'y'] : [] }))
    const columns = SpanColumnsSchema.parse(JSON.parse(JSON.stringify(encodeSpanColumns(spans))))
    expect(columns.name.values).toEqual(['a', 'b', 'c'])
    expect(columns.flags.values).toEqual([[], ['x', 'y']])
    expect(decodeSpanColumns(columns)).toEqual(spans)
  })

  it('round-trips an empty trace', () => {
    expect(decodeSpanColumns(SpanColumnsSchema.parse(encodeSpanColumns([])))).toEqual([])
  })

  it('decoded spans do not share their flag arrays', () => {
    const decoded = decodeSpanColumns(SpanColumnsSchema.parse(encodeSpanColumns([span(7), span(8)])))
    decoded[0]!.flags.push('x')
    expect(decoded[1]!.flags).toEqual([])
  })

  it('refuses columns of the wrong length, indexes past a dictionary and unknown kinds', () => {
    const good = encodeSpanColumns([span(0), span(1)])
    expect(SpanColumnsSchema.safeParse(good).success).toBe(true)
    expect(SpanColumnsSchema.safeParse({ ...good, durationMs: [1] }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, name: { values: ['x'], index: [0, 1] } }).success).toBe(false)
    // Past the dictionary ('C' is 2), outside the alphabet, a partial index of a two-character width.
    expect(SpanColumnsSchema.safeParse({ ...good, name: { values: ['x', 'y'], index: 'AC' } }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, name: { values: ['x', 'y'], index: 'A"' } }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, name: { values: ['x', 'y'], index: 'A\u0100' } }).success).toBe(false)
    const wide = { values: Array.from({ length: 65 }, (_, i) => `v${i}`), index: 'AAA' }
    expect(SpanColumnsSchema.safeParse({ ...good, name: wide }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, name: { ...wide, index: 'AABA' } }).success).toBe(true)
    expect(SpanColumnsSchema.safeParse({ ...good, name: { values: ['x', 'y'] } }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, spanId: '0000000000000001\n' }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, kind: { values: ['nope'] } }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, failed: '02' }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, failed: '0' }).success).toBe(false)
    expect(SpanColumnsSchema.safeParse({ ...good, durationMs: [1, '2'] }).success).toBe(false)
    expect(TraceSkeletonResponseSchema.safeParse({ trace: {}, spans: good }).success).toBe(false)
  })
})
