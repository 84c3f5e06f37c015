import { flattenVisible, SpanFlag } from '@sightline/core'
import { describe, expect, it } from 'vitest'
import { testSpan as s } from '../../../test/span-factory'
import { buildAgentGraph } from './agent-graph'
import { navigate } from './keyboard-nav'
import { buildTraceModel, countedCallOf } from './trace-model'

// A resolved trace as the API returns it: planner runs researcher in-process and hands work to coder
// over A2A (client end `handoff`, server end `coder`); the coder calls a tool over MCP (client and
// server ends, one call); `agg` repeats the usage of the model call under it.
const spans = [
  s('root', '', 0, 100, { kind: 'agent', agentName: 'planner', serviceName: 'a' }),
  s('agg', 'root', 1, 10, { kind: 'chain', agentName: 'planner', llmRole: 'aggregate', inputTokens: 10 }),
  s('llm', 'agg', 1, 9, {
    kind: 'llm',
    agentName: 'planner',
    isLlmCall: true,
    llmRole: 'call',
    model: 'gpt-4o',
    inputTokens: 10,
  }),
  s('t1', 'root', 11, 20, {
    kind: 'tool',
    agentName: 'planner',
    toolName: 'search',
    toolRole: 'call',
    status: 'error',
    failed: true,
  }),
  s('t2', 'root', 21, 30, { kind: 'tool', agentName: 'planner', toolName: 'search', toolRole: 'call' }),
  s('t3', 'root', 31, 35, {
    kind: 'tool',
    agentName: 'planner',
    toolName: 'search',
    toolRole: 'call',
    failed: true,
    failureInferred: true,
  }),
  s('res', 'root', 36, 39, { kind: 'agent', agentName: 'researcher' }),
  s('hand', 'root', 40, 90, {
    kind: 'handoff',
    agentName: 'planner',
    isDelegation: true,
    flags: [SpanFlag.a2aClient],
    name: 'a2a send',
  }),
  s('sub', 'hand', 41, 89, { kind: 'agent', agentName: 'coder', serviceName: 'b', flags: [SpanFlag.a2aServer] }),
  s('mcp', 'sub', 42, 50, {
    kind: 'tool',
    agentName: 'coder',
    toolName: 'read',
    toolRole: 'call',
    name: 'tools/call read',
    flags: [SpanFlag.mcpClient],
  }),
  s('mcps', 'mcp', 43, 49, {
    kind: 'tool',
    agentName: 'coder',
    toolName: 'read',
    toolRole: 'part',
    serviceName: 'mcp',
    flags: [SpanFlag.mcpServer],
  }),
  s('orphan', 'gone', 60, 70),
]

describe('buildTraceModel', () => {
  const model = buildTraceModel(spans)
  it('badges from resolved fields: counted calls, aggregates, parts, delegations, failures, retries, orphans', () => {
    expect(model.badges.get('llm')).toEqual(['llm'])
    expect(model.badges.get('agg')).toEqual(['aggregate'])
    expect(model.badges.get('t1')).toEqual(['tool', 'error'])
    expect(model.badges.get('t2')).toEqual(['tool', 'retry'])
    expect(model.badges.get('t3')).toEqual(['tool', 'error'])
    expect(model.badges.get('hand')).toEqual(['a2a'])
    expect(model.badges.get('sub')).toEqual([])
    expect(model.badges.get('mcp')).toEqual(['mcp'])
    expect(model.badges.get('mcps')).toEqual(['part'])
    expect(model.badges.get('orphan')).toEqual(['orphan'])
  })
  it('a retry follows a failed call of the same tool among its siblings, whatever other tools ran between', () => {
    const call = (id: string, parent: string, at: number, tool: string, failed = false) =>
      s(id, parent, at, at + 1, { kind: 'tool', toolName: tool, toolRole: 'call', failed })
    const flat = buildTraceModel([
      s('p', '', 0, 100, { kind: 'agent', agentName: 'planner' }),
      call('a1', 'p', 1, 'search', true),
      call('b1', 'p', 3, 'read'),
      call('a2', 'p', 5, 'search'),
      call('a3', 'p', 7, 'search'),
      call('b2', 'p', 9, 'read', true),
      s('q', 'p', 10, 20, { kind: 'agent', agentName: 'helper' }),
      call('b3', 'q', 11, 'read'),
      call('b4', 'p', 21, 'read'),
    ])
    const retried = [...flat.badges].filter(([, b]) => b.includes('retry')).map(([id]) => id)
    expect(retried.sort()).toEqual(['a2', 'b4'])
  })
  it("takes each span's resolved agent and orders lanes by first appearance", () => {
    expect(model.agentOf.get('hand')).toBe('planner')
    expect(model.agentOf.get('mcps')).toBe('coder')
    expect(model.agents).toEqual(['planner', 'researcher', 'coder'])
  })
  it("finds the counted span of a tool call's other parts", () => {
    expect(countedCallOf(model, 'mcps')?.spanId).toBe('mcp')
    expect(countedCallOf(model, 'mcp')).toBeUndefined()
  })
})

describe('buildAgentGraph', () => {
  const graph = buildAgentGraph(buildTraceModel(spans))
  const edge = (from: string, to: string) => graph.edges.filter((e) => e.from === from && e.to === to)
  it('counts one tool call per MCP pair, one delegation per A2A pair, model calls without aggregates', () => {
    expect(edge('agent:planner', 'agent:coder')).toEqual([
      expect.objectContaining({ kind: 'delegation', count: 1, totalMs: 50 }),
    ])
    expect(edge('agent:planner', 'agent:researcher')).toEqual([expect.objectContaining({ kind: 'subagent', count: 1 })])
    expect(edge('agent:planner', 'tool:search')).toEqual([
      expect.objectContaining({ kind: 'call', count: 3, errors: 2, totalMs: 22 }),
    ])
    expect(edge('agent:coder', 'tool:read')).toEqual([expect.objectContaining({ count: 1 })])
    expect(edge('agent:planner', 'model:gpt-4o')).toEqual([expect.objectContaining({ count: 1 })])
    const sum = (kind: string, prefix: string) =>
      graph.edges.filter((e) => e.kind === kind && e.to.startsWith(prefix)).reduce((n, e) => n + e.count, 0)
    expect([sum('call', 'tool:'), sum('call', 'model:'), sum('delegation', 'agent:')]).toEqual([4, 1, 1])
  })
  it('lays agents out by call depth and tools right of their callers', () => {
    const layer = (id: string) => graph.nodes.find((n) => n.id === id)!.layer
    expect([layer('agent:planner'), layer('agent:coder'), layer('tool:read')]).toEqual([0, 1, 2])
  })
})

describe('keyboard navigation', () => {
  const model = buildTraceModel(spans)
  const rows = flattenVisible(model.tree, new Set())
  it('moves, expands, collapses and climbs', () => {
    expect(navigate(rows, null, 'ArrowDown', new Set())).toEqual({ select: 'root' })
    expect(navigate(rows, 'root', 'ArrowDown', new Set())).toEqual({ select: 'agg' })
    expect(navigate(rows, 'root', 'ArrowLeft', new Set())).toEqual({ collapse: 'root' })
    expect(navigate(rows, 'root', 'ArrowRight', new Set(['root']))).toEqual({ expand: 'root' })
    expect(navigate(rows, 'root', 'ArrowRight', new Set())).toEqual({ select: 'agg' })
    expect(navigate(rows, 'mcps', 'ArrowLeft', new Set())).toEqual({ select: 'mcp' })
    expect(navigate(rows, 'llm', 'End', new Set())).toEqual({ select: 'orphan' })
  })
})
