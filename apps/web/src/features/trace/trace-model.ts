/**
 * Everything the trace view derives from a skeleton trace, computed once per load: the span tree,
 * the critical path, each span's agent (its own or the nearest ancestor's), lane colours and the
 * badges. Skeleton spans carry no attributes, so MCP and A2A are read from kind, operation, name
 * prefixes and service boundaries.
 */
import { type Span } from '@sightline/schema'
import { buildSpanTree, criticalPath, type CriticalPath, type SpanNode, type SpanTree } from '@sightline/core'

export type Badge = 'llm' | 'tool' | 'mcp' | 'a2a' | 'error' | 'retry' | 'orphan'

export interface TraceModel {
  tree: SpanTree<Span>
  critical: CriticalPath
  agentOf: Map<string, string>
  /** Agents in order of first appearance; index = lane. */
  agents: string[]
  badges: Map<string, Badge[]>
}

const MCP_PREFIXES = ['tools/', 'resources/', 'prompts/', 'initialize', 'notifications/', 'completion/', 'sampling/']

export function isMcpSpan(span: Span): boolean {
  if (span.operation === 'mcp_tool_call') return true
  if (MCP_PREFIXES.some((p) => span.operation.startsWith(p) || span.name.startsWith(p))) return true
  return Object.keys(span.attributes).some((key) => key.startsWith('mcp.'))
}

/** A hop to another agent: an explicit handoff, or an agent span in another service than its parent. */
export function isA2aSpan(span: Span, parent: Span | undefined): boolean {
  if (span.kind === 'handoff') return true
  return span.kind === 'agent' && parent !== undefined && parent.serviceName !== '' && parent.serviceName !== span.serviceName
}

export function buildTraceModel(spans: Span[]): TraceModel {
  const tree = buildSpanTree(spans)
  const agentOf = new Map<string, string>()
  const agents: string[] = []
  const badges = new Map<string, Badge[]>()
  const stack = [...tree.roots]
  while (stack.length) {
    const node = stack.pop()!
    const span = node.span
    const agent = span.agentName || (node.parent ? agentOf.get(node.parent.span.spanId)! : '')
    agentOf.set(span.spanId, agent)
    if (agent && !agents.includes(agent)) agents.push(agent)
    badges.set(span.spanId, spanBadges(node))
    for (const child of node.children) stack.push(child)
  }
  // Lanes by first start time rather than DFS order, so the orchestrator gets lane 0.
  const firstStart = new Map<string, number>()
  for (const node of tree.byId.values()) {
    const agent = agentOf.get(node.span.spanId)!
    if (agent && node.startMs < (firstStart.get(agent) ?? Infinity)) firstStart.set(agent, node.startMs)
  }
  agents.sort((a, b) => firstStart.get(a)! - firstStart.get(b)!)
  return { tree, critical: criticalPath(tree), agentOf, agents, badges }
}

function spanBadges(node: SpanNode<Span>): Badge[] {
  const span = node.span
  const out: Badge[] = []
  if (span.isLlmCall || span.kind === 'llm') out.push('llm')
  if (isMcpSpan(span)) out.push('mcp')
  else if (span.kind === 'tool') out.push('tool')
  if (isA2aSpan(span, node.parent?.span)) out.push('a2a')
  if (span.status === 'error') out.push('error')
  if (isRetry(node)) out.push('retry')
  if (node.isOrphan) out.push('orphan')
  return out
}

/** A tool span is a retry when the latest earlier sibling calling the same tool failed. */
function isRetry(node: SpanNode<Span>): boolean {
  const span = node.span
  if (span.kind !== 'tool' || !node.parent) return false
  const name = span.toolName || span.name
  const siblings = node.parent.children
  for (let i = siblings.indexOf(node) - 1; i >= 0; i--) {
    const prev = siblings[i]!.span
    if (prev.kind === 'tool' && (prev.toolName || prev.name) === name) return prev.status === 'error'
  }
  return false
}

/** One accent per lane; neutral grey for spans outside any agent. */
const LANE_COLOURS = ['#3b6fd8', '#8a4fd0', '#0f8f7e', '#c26a12', '#c23b7a', '#5a7d1a', '#2b8fb8', '#8c6a3f']
export function laneColour(model: TraceModel, agent: string): string {
  const index = model.agents.indexOf(agent)
  return index < 0 ? '#8a919c' : LANE_COLOURS[index % LANE_COLOURS.length]!
}
