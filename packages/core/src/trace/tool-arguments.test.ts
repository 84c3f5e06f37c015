import { describe, expect, it } from 'vitest'
import { agent, llm, tool } from '../../test/facts.js'
import type { RequestedToolCall } from '../content/requested-tool-calls.js'
import { resolveTrace } from './resolve.js'
import type { SpanFacts } from './span-facts.js'
import { completeToolArguments } from './tool-arguments.js'

const request = (name: string, args: object, id = ''): RequestedToolCall => ({
  id,
  name,
  arguments: JSON.stringify(args),
})

function complete(spans: SpanFacts[], requested: Record<string, RequestedToolCall[]>, own: Record<string, string>) {
  const { roles } = resolveTrace(spans, { settled: true })
  return completeToolArguments({
    facts: spans,
    roles,
    requested: new Map(Object.entries(requested)),
    ownArguments: new Map(Object.entries(own)),
  })
}

describe('completeToolArguments', () => {
  it('names a bare single-argument value from the request (LangChain), the retry from the retry request', () => {
    const spans = [
      agent('support', { spanId: 'r', startMs: 0, endMs: 100 }),
      llm({ spanId: 'm1', parentSpanId: 'r', startMs: 1 }),
      tool({ spanId: 't1', parentSpanId: 'r', toolName: 'lookup', startMs: 10, status: 'error' }),
      llm({ spanId: 'm2', parentSpanId: 'r', startMs: 20 }),
      tool({ spanId: 't2', parentSpanId: 'r', toolName: 'lookup', startMs: 30 }),
    ]
    const completed = complete(
      spans,
      { m1: [request('lookup', { order_id: 'A-1' })], m2: [request('lookup', { order_id: 'A-2' })] },
      { t1: '"A-1"', t2: '"A-2"' },
    )
    expect(Object.fromEntries(completed)).toEqual({ t1: '{"order_id":"A-1"}', t2: '{"order_id":"A-2"}' })
  })

  it('fills a tool span that carries nothing (ADK failed call) from the model call that asked for it', () => {
    const spans = [
      agent('planner', { spanId: 'r', startMs: 0, endMs: 100 }),
      llm({ spanId: 'm1', parentSpanId: 'r', startMs: 1, endMs: 20 }),
      tool({ spanId: 't1', parentSpanId: 'm1', toolName: 'lookup_flight', startMs: 10 }),
    ]
    expect(complete(spans, { m1: [request('lookup_flight', { to: 'CDG' })] }, { t1: '' }).get('t1')).toBe(
      '{"to":"CDG"}',
    )
  })

  it('never replaces arguments a span carries, nor completes a value the request does not hold', () => {
    const spans = [
      agent('a', { spanId: 'r', startMs: 0, endMs: 100 }),
      llm({ spanId: 'm', parentSpanId: 'r', startMs: 1 }),
      tool({ spanId: 'whole', parentSpanId: 'r', toolName: 'x', startMs: 10 }),
      tool({ spanId: 'other', parentSpanId: 'r', toolName: 'y', startMs: 11 }),
    ]
    const requested = { m: [request('x', { a: 1 }), request('y', { b: 'two', c: 3 })] }
    expect(complete(spans, requested, { whole: '{"a":9}', other: '"two"' }).size).toBe(0)
  })

  it('matches by call id first, and lets a call carrying its arguments keep its own request', () => {
    const spans = [
      agent('a', { spanId: 'r', startMs: 0, endMs: 100 }),
      llm({ spanId: 'm', parentSpanId: 'r', startMs: 1 }),
      tool({ spanId: 'empty', parentSpanId: 'r', toolName: 'search', startMs: 10 }),
      tool({ spanId: 'carried', parentSpanId: 'r', toolName: 'search', startMs: 11 }),
      tool({ spanId: 'byId', parentSpanId: 'r', toolName: 'search', toolCallId: 'c3', startMs: 12 }),
    ]
    const requested = {
      m: [
        request('search', { q: 'one' }, 'c1'),
        request('search', { q: 'two' }, 'c2'),
        request('search', { q: 'three' }, 'c3'),
      ],
    }
    const completed = complete(spans, requested, { empty: '', carried: '{"q":"one"}', byId: '' })
    expect(Object.fromEntries(completed)).toEqual({ empty: '{"q":"two"}', byId: '{"q":"three"}' })
  })

  it('looks only at model calls of the same agent made before the tool', () => {
    const spans = [
      agent('a', { spanId: 'r', startMs: 0, endMs: 100 }),
      agent('b', { spanId: 'rb', parentSpanId: 'r', startMs: 1, endMs: 9 }),
      llm({ spanId: 'mb', parentSpanId: 'rb', startMs: 2 }),
      tool({ spanId: 't', parentSpanId: 'r', toolName: 'x', startMs: 10 }),
      llm({ spanId: 'later', parentSpanId: 'r', startMs: 20 }),
    ]
    expect(complete(spans, { mb: [request('x', { a: 1 })], later: [request('x', { a: 2 })] }, { t: '' }).size).toBe(0)
  })
})
