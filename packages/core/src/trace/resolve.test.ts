import { describe, expect, it } from 'vitest'
import { agent, facts, llm, tool } from '../../test/facts.js'
import { ROLLUP_DIMENSIONS } from './contributions.js'
import { resolveTrace } from './resolve.js'
import type { SpanFacts } from './span-facts.js'

const settled = { settled: true }

/**
 * planner (svc planner) → chat, MCP weather call traced on both ends, A2A hand-off to researcher (svc researcher) →
 * chat.
 */
function demoTrace(): SpanFacts[] {
  return [
    agent('planner', {
      spanId: 'root',
      serviceName: 'planner',
      serviceVersion: '2.3.0',
      startMs: 0,
      endMs: 100,
      userId: 'u1',
    }),
    llm({
      spanId: 'p-chat',
      parentSpanId: 'root',
      serviceName: 'planner',
      serviceVersion: '2.3.0',
      startMs: 1,
      costUsd: 0.002,
    }),
    tool({
      spanId: 'mcp-client',
      parentSpanId: 'root',
      toolName: 'weather',
      serviceName: 'planner',
      flags: ['mcp:client'],
      startMs: 10,
    }),
    tool({
      spanId: 'mcp-server',
      parentSpanId: 'mcp-client',
      toolName: 'weather',
      serviceName: 'tools',
      flags: ['mcp:server'],
      startMs: 11,
      status: 'error',
      statusMessage: 'not found',
    }),
    facts({
      spanId: 'handoff',
      parentSpanId: 'root',
      kind: 'handoff',
      agentName: 'researcher',
      serviceName: 'planner',
      flags: ['a2a:client'],
      startMs: 20,
    }),
    agent('researcher', {
      spanId: 'r-server',
      parentSpanId: 'handoff',
      serviceName: 'researcher',
      serviceVersion: '3.1.2',
      flags: ['a2a:server'],
      startMs: 21,
    }),
    llm({
      spanId: 'r-chat',
      parentSpanId: 'r-server',
      serviceName: 'researcher',
      serviceVersion: '3.1.2',
      model: 'gpt-4o-mini',
      startMs: 22,
      costUsd: 0.0005,
    }),
  ]
}

describe('resolveTrace', () => {
  it('counts an MCP call traced on both ends once, and a hand-off and its server span as one delegation', () => {
    const { trace, roles } = resolveTrace(demoTrace(), settled)
    expect(trace.toolCalls).toBe(1)
    expect(trace.toolErrors).toBe(1)
    expect(roles.get('mcp-server')?.tool).toBe('part')
    expect(trace.delegations).toBe(1)
    expect(trace.llmCalls).toBe(2)
    expect(trace.costUsd).toBeCloseTo(0.0025, 10)
    expect(trace.outcome).toBe('recovered')
    expect(trace.firstError?.message).toBe('weather: not found')
  })

  it('gives a span the agent of its nearest agent ancestor across services, whatever order spans come in', () => {
    const spans = demoTrace()
    const shuffled = [spans[6]!, spans[3]!, spans[5]!, spans[0]!, spans[2]!, spans[4]!, spans[1]!]
    const a = resolveTrace(spans, settled)
    const b = resolveTrace(shuffled, settled)
    expect(b.roles.get('r-chat')?.agent).toBe('researcher')
    expect(b.roles.get('handoff')?.agent).toBe('planner')
    expect(b.trace).toEqual(a.trace)
    expect(b.contributions).toEqual(a.contributions)
  })

  it('keys agent_release by agent and release (the value keeps its separator)', () => {
    const { contributions } = resolveTrace(demoTrace(), settled)
    const values = contributions.filter((c) => c.dimType === 'agent_release').map((c) => c.dimValue)
    expect(values).toEqual(expect.arrayContaining(['planner\u00002.3.0', 'researcher\u00003.1.2']))
  })

  it('counts a model call once along a chain of spans carrying its usage (aggregates are not calls)', () => {
    const spans = [
      agent('writer', { spanId: 'gen', inputTokens: 300, outputTokens: 30, startMs: 0, endMs: 50 }),
      facts({
        spanId: 'step1',
        parentSpanId: 'gen',
        kind: 'llm',
        model: 'gpt-4o',
        inputTokens: 100,
        outputTokens: 10,
        startMs: 1,
      }),
      facts({
        spanId: 'gen2',
        parentSpanId: 'gen',
        kind: 'llm',
        model: 'gpt-4o',
        inputTokens: 200,
        outputTokens: 20,
        startMs: 10,
      }),
      llm({ spanId: 'chat2', parentSpanId: 'gen2', inputTokens: 200, outputTokens: 20, startMs: 11 }),
    ]
    const { trace, roles } = resolveTrace(spans, settled)
    expect(trace.llmCalls).toBe(2)
    expect(trace.inputTokens).toBe(300)
    expect(roles.get('gen')?.llm).toBe('aggregate')
    expect(roles.get('gen2')?.llm).toBe('aggregate')
    expect(roles.get('step1')?.llm).toBe('call')
  })

  it('does not take a model call containing the tool calls it asked for as an aggregate (ADK, agent as tool)', () => {
    const spans = [
      agent('planner', { spanId: 'root', startMs: 0, endMs: 100 }),
      llm({ spanId: 'call', parentSpanId: 'root', inputTokens: 600, outputTokens: 25, startMs: 1, endMs: 90 }),
      tool({ spanId: 'as-tool', parentSpanId: 'call', toolName: 'researcher', startMs: 10, endMs: 80 }),
      agent('researcher', { spanId: 'sub', parentSpanId: 'as-tool', startMs: 11, endMs: 79 }),
      llm({
        spanId: 'sub-call',
        parentSpanId: 'sub',
        model: 'gemini-2.5-flash-lite',
        inputTokens: 95,
        outputTokens: 17,
        startMs: 12,
      }),
    ]
    const { trace, roles } = resolveTrace(spans, settled)
    expect([roles.get('call')?.llm, roles.get('sub-call')?.llm]).toEqual(['call', 'call'])
    expect([trace.llmCalls, trace.inputTokens, trace.outputTokens]).toEqual([2, 695, 42])
    expect(roles.get('sub-call')?.agent).toBe('researcher')
  })

  it("names a trace after its root agent when the root span is a library's generic runner label", () => {
    const spans = [
      facts({ spanId: 'inv', name: 'invocation', kind: 'chain', flags: ['generic_name'], startMs: 0, endMs: 100 }),
      agent('trip_planner', { spanId: 'a', parentSpanId: 'inv', startMs: 1, endMs: 99 }),
    ]
    expect(resolveTrace(spans, settled).trace).toMatchObject({ name: 'trip_planner', rootAgent: 'trip_planner' })
    const named = [{ ...spans[0]!, flags: [], name: 'Billing support' }, spans[1]!]
    expect(resolveTrace(named, settled).trace).toMatchObject({ name: 'Billing support', rootAgent: 'trip_planner' })
  })

  it('judges outcomes: failed root, unrecovered and recovered delegations, running and partial traces', () => {
    const failedRoot = [agent('a', { spanId: 'r', status: 'error', statusMessage: 'boom' })]
    expect(resolveTrace(failedRoot, settled).trace).toMatchObject({ outcome: 'failed', failureReason: 'a: boom' })

    const handoff = (id: string, status: 'ok' | 'error', startMs: number) =>
      facts({
        spanId: id,
        parentSpanId: 'r',
        kind: 'handoff',
        agentName: 'exec',
        status,
        statusMessage: status === 'error' ? 'timeout' : '',
        startMs,
      })
    const unrecovered = [agent('a', { spanId: 'r', startMs: 0, endMs: 100 }), handoff('h1', 'error', 5)]
    expect(resolveTrace(unrecovered, settled).trace).toMatchObject({
      outcome: 'failed',
      failureReason: 'exec: timeout',
      failureSpanId: 'h1',
    })
    const recovered = [...unrecovered, handoff('h2', 'ok', 20)]
    expect(resolveTrace(recovered, settled).trace.outcome).toBe('recovered')

    const orphanOnly = [llm({ spanId: 'c', parentSpanId: 'missing' })]
    expect(resolveTrace(orphanOnly, { settled: false }).trace.outcome).toBe('running')
    expect(resolveTrace(orphanOnly, settled).trace).toMatchObject({ outcome: 'ok', tags: ['partial'] })
    expect(resolveTrace([agent('a', { flags: ['no_end_time'] })], settled).trace.outcome).toBe('running')
  })

  it('recovers each failed attempt that a later success of the same group follows, in a loop of 30k attempts', () => {
    const attempts = Array.from({ length: 30_000 }, (_, i) =>
      facts({
        spanId: `h${i}`,
        parentSpanId: 'r',
        kind: 'handoff',
        agentName: 'exec',
        // Every 100th fails; the last success is attempt 29_989, so the failure at 29_999 stays failed.
        status: i % 100 === 99 || i >= 29_990 ? 'error' : 'ok',
        statusMessage: 'timeout',
        startMs: i,
        endMs: i + 1,
      }),
    )
    const { failures, trace } = resolveTrace([agent('a', { spanId: 'r', startMs: 0, endMs: 40_000 }), ...attempts], {
      settled: true,
      contributions: false,
    })
    expect(failures.failed.size).toBe(300 + 9)
    expect([...failures.recovered].sort()).toEqual(Array.from({ length: 299 }, (_, k) => `h${k * 100 + 99}`).sort())
    expect(trace).toMatchObject({ outcome: 'failed', failureSpanId: 'h29990', startMs: 0, endMs: 40_000 })
  })

  it('leaves the rollup contributions out when asked to', () => {
    expect(resolveTrace(demoTrace(), settled).contributions.length).toBeGreaterThan(0)
    expect(resolveTrace(demoTrace(), { settled: true, contributions: false }).contributions).toEqual([])
  })

  it('tells a loop from a retry that recovered', () => {
    const calls = (outcomes: Array<'ok' | 'error'>) => [
      agent('planner', { spanId: 'r', startMs: 0, endMs: 1000 }),
      ...outcomes.map((status, i) =>
        tool({
          spanId: `t${i}`,
          parentSpanId: 'r',
          toolName: 'weather',
          toolArgsKey: 'atlantis',
          status,
          startMs: 10 + i * 10,
        }),
      ),
    ]
    expect(resolveTrace(calls(['error', 'error', 'ok']), settled).trace.tags).toEqual(['recovered-retry'])
    const loop = resolveTrace(calls(Array(8).fill('error')), settled).trace
    expect(loop.tags).toEqual(['loop'])
    expect(loop.loops[0]).toMatchObject({ tool: 'weather', agent: 'planner', calls: 8, failedCalls: 8 })
  })

  it('marks a tool failed when a later model request reports it (ADK), by call id or by name', () => {
    const spans = [
      agent('root_agent', { spanId: 'r', startMs: 0, endMs: 100 }),
      tool({ spanId: 't1', parentSpanId: 'r', toolName: 'lookup', toolCallId: 'call-1', startMs: 10 }),
      tool({ spanId: 't2', parentSpanId: 'r', toolName: 'flaky', startMs: 20 }),
      llm({ spanId: 'c', parentSpanId: 'r', startMs: 30, reportedToolErrors: ['call-1', 'flaky'] }),
    ]
    const { trace, failures } = resolveTrace(spans, settled)
    expect(failures.failed.get('t1')).toEqual({ inferred: true })
    expect(failures.failed.get('t2')).toEqual({ inferred: true })
    expect(trace.toolErrors).toBe(2)
    expect(trace.outcome).toBe('recovered')
  })

  it('attributes every dollar to one value of each dimension, so every split adds up to the total', () => {
    const spans = [
      ...demoTrace(),
      llm({ spanId: 'loose', parentSpanId: 'missing-parent', serviceVersion: '', costUsd: 0.01 }),
    ]
    const { contributions, trace } = resolveTrace(spans, settled)
    for (const dim of ROLLUP_DIMENSIONS) {
      const rows = contributions.filter((c) => c.dimType === dim)
      expect(rows.reduce((n, c) => n + c.costUsd, 0)).toBeCloseTo(trace.costUsd ?? 0, 12)
      expect(rows.reduce((n, c) => n + c.llmCalls, 0)).toBe(trace.llmCalls)
    }
    expect(contributions.find((c) => c.dimType === 'agent' && c.dimValue === '')?.costUsd).toBeCloseTo(0.01, 12)
    const total = contributions.find((c) => c.dimType === 'total')!
    expect(total).toMatchObject({
      traces: 1,
      units: 1,
      unitRecovered: 1,
      spans: 8,
      toolCalls: 1,
      toolErrors: 1,
      delegations: 1,
    })
  })
})
