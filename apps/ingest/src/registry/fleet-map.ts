/**
 * The fleet map over a range: agents → agents (A2A delegations) and agents → tools (MCP or local),
 * each edge with its calls, failures, p95 and cost from the rollups' edge dimensions. Agents are
 * grouped by service, tools by MCP server, so a large fleet can be drawn as clusters.
 */
import { histogramQuantile, splitPairKey } from '@sightline/core'
import type { FleetEdge, FleetMapResponse, FleetNode } from '@sightline/schema'
import type { Observation } from '../db/repositories/registry.js'
import type { DimensionTotals } from '../db/repositories/registry-health.js'
import { indexTotals } from './health.js'
import { allTools } from './tools-view.js'

const agentNodeId = (name: string) => `agent:${name}`
const toolNodeId = (server: string, name: string) => `tool:${server}/${name}`

export function fleetMap(input: {
  from: string
  to: string
  totals: readonly DimensionTotals[]
  observations: readonly Observation[]
}): FleetMapResponse {
  const totals = indexTotals(input.totals)
  const serviceOf = new Map<string, string>()
  for (const o of input.observations)
    if (o.entity === 'agent' && o.k2 && !serviceOf.has(o.k1)) serviceOf.set(o.k1, o.k2)
  // The rollups key tools by name; the observations say which MCP server serves a name.
  const serverOf = new Map<string, { server: string; isMcp: boolean }>()
  for (const t of allTools(input.observations))
    if (!serverOf.has(t.name) || t.isMcp) serverOf.set(t.name, { server: t.server, isMcp: t.isMcp })

  const nodes = new Map<string, FleetNode>()
  const rate = (t: DimensionTotals | undefined) => (t && t.units > 0 ? t.failures / t.units : null)
  const agentNode = (name: string) => {
    const id = agentNodeId(name)
    if (!nodes.has(id)) {
      const t = totals.get(`agent\u0000${name}`)
      nodes.set(id, {
        id,
        kind: 'agent',
        label: name || 'unattributed',
        group: serviceOf.get(name) ?? '',
        calls: t?.units ?? 0,
        errorRate: rate(t),
      })
    }
    return id
  }
  const toolNode = (name: string) => {
    const where = serverOf.get(name) ?? { server: '', isMcp: false }
    const id = toolNodeId(where.server, name)
    if (!nodes.has(id)) {
      const t = totals.get(`tool\u0000${name}`)
      nodes.set(id, { id, kind: 'tool', label: name, group: where.server, calls: t?.units ?? 0, errorRate: rate(t) })
    }
    return { id, isMcp: where.isMcp }
  }
  for (const t of input.totals) {
    if (t.dimType === 'agent' && t.dimValue !== '') agentNode(t.dimValue)
    if (t.dimType === 'tool' && t.dimValue !== '') toolNode(t.dimValue)
  }
  const edges: FleetEdge[] = []
  for (const t of input.totals) {
    if (t.dimType !== 'agent_tool' && t.dimType !== 'agent_agent') continue
    const [from, to] = splitPairKey(t.dimValue)
    const source = agentNode(from)
    const target = t.dimType === 'agent_agent' ? { id: agentNode(to), isMcp: false } : toolNode(to)
    edges.push({
      id: `${t.dimType}:${t.dimValue.replace('\u0000', '→')}`,
      source,
      target: target.id,
      kind: t.dimType === 'agent_agent' ? 'a2a' : target.isMcp ? 'mcp' : 'local',
      sourceName: from,
      targetName: to,
      calls: t.units,
      failures: t.failures,
      errorRate: rate(t),
      p95Ms: histogramQuantile(t.latency, 0.95),
      costUsd: t.costUsd,
    })
  }
  return {
    from: input.from,
    to: input.to,
    nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    edges: edges.sort((a, b) => (a.id < b.id ? -1 : 1)),
  }
}
