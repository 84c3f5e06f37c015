import { describe, expect, it } from 'vitest'
import { buildAgentGraph } from './agent-graph'
import { navigate } from './keyboard-nav'
import { testSpan as s } from '../../../test/span-factory'
import { buildTraceModel } from './trace-model'
import { flattenVisible } from '@sightline/core'

const spans = [
  s('root', '', 0, 100, { kind: 'agent', agentName: 'planner', serviceName: 'a' }),
  s('llm', 'root', 1, 10, { kind: 'llm', isLlmCall: true, model: 'gpt-4o' }),
  s('t1', 'root', 11, 20, { kind: 'tool', toolName: 'search', status: 'error' }),
  s('t2', 'root', 21, 30, { kind: 'tool', toolName: 'search' }),
  s('t3', 'root', 31, 35, { kind: 'tool', toolName: 'search' }),
  s('sub', 'root', 40, 90, { kind: 'agent', agentName: 'coder', serviceName: 'b' }),
  s('mcp', 'sub', 41, 50, { kind: 'tool', toolName: 'read', name: 'tools/call read', operation: 'tools/call' }),
  s('orphan', 'gone', 60, 70),
]

describe('buildTraceModel', () => {
  const model = buildTraceModel(spans)
  it('badges LLM, tool, MCP, A2A, errors, retries and orphans', () => {
    expect(model.badges.get('llm')).toEqual(['llm'])
    expect(model.badges.get('t1')).toEqual(['tool', 'error'])
    expect(model.badges.get('t2')).toEqual(['tool', 'retry'])
    expect(model.badges.get('t3')).toEqual(['tool'])
    expect(model.badges.get('sub')).toEqual(['a2a'])
    expect(model.badges.get('mcp')).toEqual(['mcp'])
    expect(model.badges.get('orphan')).toEqual(['orphan'])
  })
  it('inherits agents and orders lanes by first appearance', () => {
    expect(model.agentOf.get('t1')).toBe('planner')
    expect(model.agentOf.get('mcp')).toBe('coder')
    expect(model.agents).toEqual(['planner', 'coder'])
  })
})

describe('buildAgentGraph', () => {
  it('has agent, tool and model nodes with counted, layered edges', () => {
    const graph = buildAgentGraph(buildTraceModel(spans))
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to)
    expect(edge('agent:planner', 'agent:coder')).toMatchObject({ kind: 'delegation', count: 1, totalMs: 50 })
    expect(edge('agent:planner', 'tool:search')).toMatchObject({ kind: 'call', count: 3, errors: 1, totalMs: 22 })
    expect(edge('agent:coder', 'tool:read')).toMatchObject({ count: 1 })
    const layer = (id: string) => graph.nodes.find((n) => n.id === id)!.layer
    expect([layer('agent:planner'), layer('agent:coder'), layer('tool:read')]).toEqual([0, 1, 2])
  })
})

describe('keyboard navigation', () => {
  const model = buildTraceModel(spans)
  const rows = flattenVisible(model.tree, new Set())
  it('moves, expands, collapses and climbs', () => {
    expect(navigate(rows, null, 'ArrowDown', new Set())).toEqual({ select: 'root' })
    expect(navigate(rows, 'root', 'ArrowDown', new Set())).toEqual({ select: 'llm' })
    expect(navigate(rows, 'root', 'ArrowLeft', new Set())).toEqual({ collapse: 'root' })
    expect(navigate(rows, 'root', 'ArrowRight', new Set(['root']))).toEqual({ expand: 'root' })
    expect(navigate(rows, 'root', 'ArrowRight', new Set())).toEqual({ select: 'llm' })
    expect(navigate(rows, 'mcp', 'ArrowLeft', new Set())).toEqual({ select: 'sub' })
    expect(navigate(rows, 'llm', 'End', new Set())).toEqual({ select: 'orphan' })
  })
})
