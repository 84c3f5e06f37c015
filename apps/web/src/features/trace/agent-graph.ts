/**
 * The agent graph of one trace: agents, tools and models as nodes; edges with count, total latency
 * and failures. Counted from the resolver's fields on each span, so the graph adds up to the trace's
 * totals: tool edges count tool calls (`toolRole === 'call'`: an MCP call traced on both ends is
 * one), model edges count model calls (`llmRole === 'call'`: aggregates repeating their children's
 * usage are not calls), delegation edges count delegations (`isDelegation`: an A2A call traced on
 * both ends is one), and sub-agent edges count agents invoked in-process by another agent (not a
 * delegation to the resolver). Layout is a layered left-to-right placement computed here (no graph
 * library): agents by call depth, tools and models one layer right of the deepest agent that calls
 * them, rows ordered by the mean row of their callers.
 */
import type { Span } from '@sightline/schema'
import type { SpanNode } from '@sightline/core'
import type { TraceModel } from './trace-model'

type GraphNodeKind = 'agent' | 'tool' | 'model'

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
  kind: 'delegation' | 'subagent' | 'call'
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
    const key = `${from}→${to}→${kind}`
    let e = edges.get(key)
    if (!e) edges.set(key, (e = { from, to, kind, count: 0, totalMs: 0, errors: 0 }))
    e.count++
    e.totalMs += span.durationMs
    if (span.failed) e.errors++
  }
  const agentId = (name: string) => `agent:${name || UNNAMED}`
  for (const n of model.tree.byId.values()) {
    const span = n.span
    const caller = span.agentName
    if (span.kind === 'agent') {
      const a = node(agentId(span.agentName), 'agent', span.agentName || UNNAMED)
      a.count++
      if (span.failed) a.errors++
      // An agent invoked in-process by another agent; a remote one arrives through a delegation below.
      const parentAgent = n.parent?.span.agentName ?? ''
      if (!span.isDelegation && !underDelegation(n) && parentAgent && parentAgent !== span.agentName)
        edge(agentId(parentAgent), a.id, 'subagent', span)
    }
    if (span.isDelegation) {
      // A hand-off works for its caller; an A2A server span with no traced client is the callee itself.
      const from = span.kind === 'agent' ? (n.parent?.span.agentName ?? '') : caller
      const to = span.kind === 'agent' ? span.agentName : delegateOf(n)
      node(agentId(from), 'agent', from || UNNAMED)
      const target = node(agentId(to), 'agent', to || UNNAMED)
      edge(agentId(from), target.id, 'delegation', span)
    }
    if (span.toolRole === 'call') {
      const name = span.toolName || span.name
      const t = node(`tool:${name}`, 'tool', name)
      t.count++
      if (span.failed) t.errors++
      node(agentId(caller), 'agent', caller || UNNAMED)
      edge(agentId(caller), t.id, 'call', span)
    }
    if (span.llmRole === 'call') {
      const name = span.model || span.name
      const m = node(`model:${name}`, 'model', name)
      m.count++
      if (span.failed) m.errors++
      node(agentId(caller), 'agent', caller || UNNAMED)
      edge(agentId(caller), m.id, 'call', span)
    }
  }
  return layout([...nodes.values()], [...edges.values()])
}

/** The agent a hand-off reached: the first agent below it, else the name the hand-off gives. */
function delegateOf(node: SpanNode<Span>): string {
  const stack = [...node.children]
  while (stack.length) {
    const child = stack.shift()!
    if (child.span.kind === 'agent') return child.span.agentName
    stack.push(...child.children)
  }
  return node.span.name
}

/** The agent span is the remote end of a hand-off (its edge is the delegation's). */
function underDelegation(node: SpanNode<Span>): boolean {
  for (let cursor = node.parent; cursor; cursor = cursor.parent) {
    if (cursor.span.isDelegation) return true
    if (cursor.span.kind === 'agent') return false
  }
  return false
}

function layout(nodes: GraphNode[], edges: GraphEdge[]): AgentGraph {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const agents = nodes.filter((n) => n.kind === 'agent')
  const incoming = new Map<string, string[]>()
  for (const e of edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from])
  // Agents: BFS depth over agent → agent edges from agents nobody calls (or the first agent on a cycle).
  const depth = new Map<string, number>()
  const starts = agents.filter((a) => !(incoming.get(a.id) ?? []).some((f) => byId.get(f)?.kind === 'agent'))
  const queue = (starts.length ? starts : agents.slice(0, 1)).map((a) => a.id)
  for (const id of queue) depth.set(id, 0)
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!
    for (const e of edges) {
      if (e.from !== from || e.kind === 'call' || depth.has(e.to)) continue
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
      const rows = (incoming.get(n.id) ?? [])
        .map((f) => byId.get(f))
        .filter((f) => f && f.layer < layer)
        .map((f) => f!.row)
      return rows.length ? rows.reduce((s, r) => s + r, 0) / rows.length : 0
    }
    const kindOrder = { agent: 0, tool: 1, model: 2 }
    inLayer.sort(
      (a, b) => score(a) - score(b) || kindOrder[a.kind] - kindOrder[b.kind] || a.label.localeCompare(b.label),
    )
    inLayer.forEach((n, i) => (n.row = i))
    maxRows = Math.max(maxRows, inLayer.length)
  }
  return { nodes, edges, layers, maxRows }
}
