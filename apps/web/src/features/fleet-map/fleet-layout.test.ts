import type { FleetEdge, FleetMapResponse, FleetNode } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { clusterId, errorColour, layoutFleet } from './fleet-layout'

const agent = (name: string, group = 'svc'): FleetNode => ({
  id: `agent:${name}`,
  kind: 'agent',
  label: name,
  group,
  calls: 10,
  errorRate: 0,
})
const tool = (server: string, name: string, calls = 5): FleetNode => ({
  id: `tool:${server}/${name}`,
  kind: 'tool',
  label: name,
  group: server,
  calls,
  errorRate: 0,
})
const edge = (
  source: string,
  target: string,
  calls: number,
  failures = 0,
  kind: FleetEdge['kind'] = 'mcp',
): FleetEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  kind,
  sourceName: source.split(':')[1]!,
  targetName: target.split('/').pop()!,
  calls,
  failures,
  errorRate: failures / calls,
  p95Ms: 10,
  costUsd: 0,
})

function fleet(): FleetMapResponse {
  const tools = Array.from({ length: 30 }, (_, i) => tool('big', `t${i}`))
  return {
    from: '',
    to: '',
    nodes: [agent('planner'), agent('researcher', 'r'), tool('small', 'search'), ...tools],
    edges: [
      edge('agent:planner', 'agent:researcher', 8, 0, 'a2a'),
      edge('agent:researcher', 'tool:small/search', 4),
      ...tools.map((t, i) => edge('agent:planner', t.id, i + 1, i % 2)),
    ],
  }
}

describe('layoutFleet', () => {
  it('puts callers left of the agents they call and tools to the right, grouped', () => {
    const l = layoutFleet(fleet(), { expanded: new Set(), collapseOver: 12 })
    const x = (id: string) => l.nodes.find((n) => n.id === id)!.x
    expect(x('agent:planner')).toBeLessThan(x('agent:researcher'))
    expect(x('agent:researcher')).toBeLessThan(x('tool:small/search'))
    expect(l.groups.map((g) => g.label)).toEqual(expect.arrayContaining(['svc', 'r', 'big', 'small']))
  })

  it('draws a large tool group as one cluster whose edge sums the calls, until expanded or searched', () => {
    const collapsed = layoutFleet(fleet(), { expanded: new Set(), collapseOver: 12 })
    expect(collapsed.nodes.find((n) => n.id === clusterId('big'))).toMatchObject({ kind: 'cluster', members: 30 })
    const toCluster = collapsed.edges.find((e) => e.target === clusterId('big'))!
    expect(toCluster.calls).toBe((30 * 31) / 2)
    expect(toCluster.edges).toHaveLength(30)
    expect(toCluster.width).toBe(6)
    expect(
      layoutFleet(fleet(), { expanded: new Set(['big']), collapseOver: 12 }).nodes.filter((n) => n.kind === 'tool'),
    ).toHaveLength(31)
    const searched = layoutFleet(fleet(), { expanded: new Set(), collapseOver: 12, search: 'T17' })
    expect(searched.nodes.find((n) => n.id === 'tool:big/t17')?.match).toBe(true)
  })

  it('keeps only a focused node and its neighbours', () => {
    const l = layoutFleet(fleet(), { expanded: new Set(), collapseOver: 12, focus: 'agent:researcher' })
    expect(l.nodes.map((n) => n.id).sort()).toEqual(['agent:planner', 'agent:researcher', 'tool:small/search'])
    expect(l.edges).toHaveLength(2)
  })

  it('colours by error rate: green without errors, red from 20 %', () => {
    expect(errorColour(0)).toBe('hsl(130, 62%, 45%)')
    expect(errorColour(0.5)).toBe('hsl(0, 62%, 40%)')
    expect(errorColour(null)).toBe('#9aa3b2')
  })

  it('lays out 50 agents and 300 tools quickly', () => {
    const agents = Array.from({ length: 50 }, (_, i) => agent(`a${i}`, `svc${i % 8}`))
    const tools = Array.from({ length: 300 }, (_, i) => tool(`srv${i % 15}`, `tool${i}`))
    const edges = [
      ...tools.map((t, i) => edge(`agent:a${i % 50}`, t.id, 1 + (i % 7))),
      ...agents.slice(1).map((a, i) => edge(`agent:a${i % 10}`, a.id, 3, 0, 'a2a')),
    ]
    const started = performance.now()
    const l = layoutFleet(
      { from: '', to: '', nodes: [...agents, ...tools], edges },
      { expanded: new Set(), collapseOver: 12 },
    )
    expect(performance.now() - started).toBeLessThan(200)
    expect(l.nodes.filter((n) => n.kind === 'cluster')).toHaveLength(15)
    expect(l.nodes.filter((n) => n.kind === 'agent')).toHaveLength(50)
  })
})

describe('layoutFleet on a delegation ring', () => {
  it('keeps agents in a few columns near the left, whatever the cycle', () => {
    const agents = Array.from({ length: 20 }, (_, i) => agent(`a${i}`))
    const edges = agents.map((a, i) => edge(a.id, agents[(i + 1) % 20]!.id, 1, 0, 'a2a'))
    const l = layoutFleet({ from: '', to: '', nodes: agents, edges }, { expanded: new Set(), collapseOver: 12 })
    const xs = new Set(l.nodes.map((n) => n.x))
    expect(xs.size).toBe(4)
    expect(Math.min(...xs)).toBe(20)
  })
})
