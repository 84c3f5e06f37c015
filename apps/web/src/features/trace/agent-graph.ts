/**
 * The agent graph of one trace: agents, tools and models as nodes; delegations (agent → agent, when
 * a span's agent differs from its parent span's agent) and calls (agent → tool, agent → model) as
 * edges with count, total latency and errors. Layout is a layered left-to-right placement computed
 * here (no graph library): agents by delegation depth, tools and models one layer right of the
 * deepest agent that calls them, rows ordered by the mean row of their callers.
 */
import type { Span } from '@sightline/schema'
import type { TraceModel } from './trace-model'

export type GraphNodeKind = 'agent' | 'tool' | 'model'

export interface GraphNode {
  id: string
  kind: GraphNodeKind
  label: string
  count: number
  errors: number
  layer: number
  row: number
}

export interface GraphEdge {
  from: string
  to: string
  kind: 'delegation' | 'call'
  count: number
  totalMs: number
  errors: number
}

export interface AgentGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  layers: number
  maxRows: number
}

const UNNAMED = '(no agent)'

export function buildAgentGraph(model: TraceModel): AgentGraph {
  const nodes = new Map<string, GraphNode>()
  const edges = new Map<string, GraphEdge>()
  const node = (id: string, kind: GraphNodeKind, label: string) => {
    let n = nodes.get(id)
    if (!n) nodes.set(id, (n = { id, kind, label, count: 0, errors: 0, layer: 0, row: 0 }))
    return n
  }
  const edge = (from: string, to: string, kind: GraphEdge['kind'], span: Span) => {
    const key = `${from}→${to}`
    let e = edges.get(key)
    if (!e) edges.set(key, (e = { from, to, kind, count: 0, totalMs: 0, errors: 0 }))
    e.count++
    e.totalMs += span.durationMs
    if (span.status === 'error') e.errors++
  }
  for (const n of model.tree.byId.values()) {
    const span = n.span
    const agent = model.agentOf.get(span.spanId) || UNNAMED
    const agentId = `agent:${agent}`
    const parentAgent = n.parent ? model.agentOf.get(n.parent.span.spanId) || UNNAMED : null
    if (agent !== UNNAMED && (span.kind === 'agent' || parentAgent !== agent)) {
      const a = node(agentId, 'agent', agent)
      if (span.kind === 'agent' || parentAgent === null) {
        a.count++
        if (span.status === 'error') a.errors++
      }
      // Work under no agent (an HTTP root, say) is not a delegation.
      if (parentAgent !== null && parentAgent !== UNNAMED && parentAgent !== agent) {
        edge(`agent:${parentAgent}`, agentId, 'delegation', span)
      }
    }
    if (span.kind === 'tool') {
      const name = span.toolName || span.name
      const t = node(`tool:${name}`, 'tool', name)
      t.count++
      if (span.status === 'error') t.errors++
      node(agentId, 'agent', agent)
      edge(agentId, t.id, 'call', span)
    } else if (span.isLlmCall) {
      const name = span.model || span.name
      const m = node(`model:${name}`, 'model', name)
      m.count++
      if (span.status === 'error') m.errors++
      node(agentId, 'agent', agent)
      edge(agentId, m.id, 'call', span)
    }
  }
  return layout([...nodes.values()], [...edges.values()])
}

function layout(nodes: GraphNode[], edges: GraphEdge[]): AgentGraph {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const agents = nodes.filter((n) => n.kind === 'agent')
  const incoming = new Map<string, string[]>()
  for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from])
  // Agents: BFS depth over delegations from agents nobody delegates to (or the first agent on a cycle).
  const depth = new Map<string, number>()
  const starts = agents.filter((a) => !(incoming.get(a.id) ?? []).some((f) => byId.get(f)?.kind === 'agent'))
  const queue = (starts.length ? starts : agents.slice(0, 1)).map((a) => a.id)
  for (const id of queue) depth.set(id, 0)
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!
    for (const e of edges) {
      if (e.from !== from || e.kind !== 'delegation' || depth.has(e.to)) continue
      depth.set(e.to, depth.get(from)! + 1)
      queue.push(e.to)
    }
  }
  for (const a of agents) a.layer = depth.get(a.id) ?? 0
  const maxAgentLayer = Math.max(0, ...agents.map((a) => a.layer))
  for (const n of nodes) {
    if (n.kind === 'agent') continue
    const callers = (incoming.get(n.id) ?? []).map((f) => byId.get(f)?.layer ?? 0)
    n.layer = Math.min(maxAgentLayer + 1, Math.max(0, ...callers) + 1)
  }
  const layers = Math.max(0, ...nodes.map((n) => n.layer)) + 1
  let maxRows = 0
  for (let layer = 0; layer < layers; layer++) {
    const inLayer = nodes.filter((n) => n.layer === layer)
    const score = (n: GraphNode) => {
      const rows = (incoming.get(n.id) ?? []).map((f) => byId.get(f)).filter((f) => f && f.layer < layer).map((f) => f!.row)
      return rows.length ? rows.reduce((s, r) => s + r, 0) / rows.length : 0
    }
    const kindOrder = { agent: 0, tool: 1, model: 2 }
    inLayer.sort((a, b) => score(a) - score(b) || kindOrder[a.kind] - kindOrder[b.kind] || a.label.localeCompare(b.label))
    inLayer.forEach((n, i) => (n.row = i))
    maxRows = Math.max(maxRows, inLayer.length)
  }
  return { nodes, edges, layers, maxRows }
}
