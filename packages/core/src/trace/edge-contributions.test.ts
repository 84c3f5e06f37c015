import { describe, expect, it } from 'vitest'
import { agent, facts, llm, tool } from '../../test/facts.js'
import { agentReleaseKey, EDGE_DIMENSIONS, edgeKey, splitPairKey } from './contributions.js'
import { resolveTrace } from './resolve.js'

const settled = { settled: true }

/**
 * planner → weather (fails, then retried ok), search; hand-off to researcher whose work costs 0.0005 + its own hand-off
 * to executor.
 */
function fleetTrace() {
  return [
    agent('planner', { spanId: 'root', serviceName: 'planner', startMs: 0, endMs: 200 }),
    llm({ spanId: 'p-chat', parentSpanId: 'root', serviceName: 'planner', startMs: 1, costUsd: 0.002 }),
    tool({
      spanId: 'w1',
      parentSpanId: 'root',
      toolName: 'weather',
      toolArgsKey: 'a',
      flags: ['mcp:client'],
      startMs: 10,
      endMs: 20,
      status: 'error',
    }),
    tool({
      spanId: 'w2',
      parentSpanId: 'root',
      toolName: 'weather',
      toolArgsKey: 'a',
      flags: ['mcp:client'],
      startMs: 30,
      endMs: 40,
    }),
    facts({
      spanId: 'h1',
      parentSpanId: 'root',
      kind: 'handoff',
      agentName: 'researcher',
      flags: ['a2a:client'],
      startMs: 50,
      endMs: 150,
    }),
    agent('researcher', {
      spanId: 'r',
      parentSpanId: 'h1',
      serviceName: 'researcher',
      flags: ['a2a:server'],
      startMs: 51,
      endMs: 149,
    }),
    llm({
      spanId: 'r-chat',
      parentSpanId: 'r',
      serviceName: 'researcher',
      startMs: 52,
      costUsd: 0.0005,
      inputTokens: 50,
    }),
    tool({ spanId: 's1', parentSpanId: 'r', toolName: 'search', startMs: 60, endMs: 70 }),
    facts({ spanId: 'h2', parentSpanId: 'r', kind: 'handoff', agentName: 'executor', startMs: 80, endMs: 140 }),
    agent('executor', {
      spanId: 'e',
      parentSpanId: 'h2',
      serviceName: 'executor',
      flags: ['a2a:server'],
      startMs: 81,
      endMs: 139,
    }),
    llm({ spanId: 'e-chat', parentSpanId: 'e', serviceName: 'executor', startMs: 82, costUsd: 0.001 }),
  ]
}

describe('edge contributions (fleet map, registry callers)', () => {
  const { contributions, trace } = resolveTrace(fleetTrace(), settled)
  const edge = (dim: string, a: string, b: string) =>
    contributions.find((c) => c.dimType === dim && c.dimValue === edgeKey(a, b))

  it('puts every tool call in one agent→tool row, with its failure and latency', () => {
    expect(edge('agent_tool', 'planner', 'weather')).toMatchObject({
      toolCalls: 2,
      toolErrors: 1,
      units: 2,
      unitFailures: 1,
    })
    expect(edge('agent_tool', 'researcher', 'search')).toMatchObject({ toolCalls: 1, toolErrors: 0, units: 1 })
    const rows = contributions.filter((c) => c.dimType === 'agent_tool')
    expect(rows.reduce((n, c) => n + c.toolCalls, 0)).toBe(trace.toolCalls)
    expect(edge('agent_tool', 'planner', 'weather')!.latency.counts.reduce((a, b) => a + b, 0)).toBe(2)
  })

  it('puts every delegation in one caller→delegate row carrying the cost of the work under it, transitively', () => {
    const toResearcher = edge('agent_agent', 'planner', 'researcher')!
    expect(toResearcher).toMatchObject({ delegations: 1, units: 1, unitFailures: 0, llmCalls: 2 })
    expect(toResearcher.costUsd).toBeCloseTo(0.0015, 12)
    expect(edge('agent_agent', 'researcher', 'executor')!.costUsd).toBeCloseTo(0.001, 12)
    const rows = contributions.filter((c) => c.dimType === 'agent_agent')
    expect(rows.reduce((n, c) => n + c.delegations, 0)).toBe(trace.delegations)
  })

  it('judges a delegation like an agent invocation', () => {
    const spans = fleetTrace().map((s) =>
      s.spanId === 'e' ? { ...s, status: 'error' as const, statusMessage: 'boom' } : s,
    )
    const failed = resolveTrace(spans, settled).contributions
    expect(
      failed.find((c) => c.dimType === 'agent_agent' && c.dimValue === edgeKey('researcher', 'executor')),
    ).toMatchObject({ units: 1, unitFailures: 1 })
  })

  it('keys pairs so that both ends read back, unattributed ends included', () => {
    expect(splitPairKey(edgeKey('planner', 'weather'))).toEqual(['planner', 'weather'])
    expect(splitPairKey(edgeKey('', 'weather'))).toEqual(['', 'weather'])
    expect(edgeKey('', '')).toBe('')
    expect(EDGE_DIMENSIONS).toEqual(['agent_tool', 'agent_agent'])
  })

  it('keeps both ends of agent_release values (the release was cut off at the NUL before)', () => {
    const rows = contributions.filter((c) => c.dimType === 'agent_release')
    expect(rows.map((r) => r.dimValue)).toContain(agentReleaseKey('planner', '1.0.0'))
    expect(rows.every((r) => r.dimValue === '' || r.dimValue.includes('\u0000'))).toBe(true)
  })
})
