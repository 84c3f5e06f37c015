/**
 * Everything the trace view derives from a skeleton trace, computed once per load: the span tree,
 * the critical path, lane colours and the badges. What a span is and whether it counts comes from
 * the resolver's fields on each span (`agentName`, `llmRole`, `toolRole`, `isDelegation`, `failed`,
 * protocol flags): this file decides nothing of its own, so the badges agree with the trace's
 * counts (an MCP call traced on both ends is one tool call, an A2A hand-off one delegation).
 */
import { type Span } from '@sightline/schema'
import { buildSpanTree, criticalPath, SpanFlag, type CriticalPath, type SpanNode, type SpanTree } from '@sightline/core'

/**
 * `llm`/`tool`: a counted model or tool call (`mcp`: a tool call over MCP); `aggregate`: repeats its
 * children's usage; `part`: another span of a tool call counted elsewhere; `delegation`: a hand-off
 * to another agent (`a2a` when over A2A); `error`: failed (also when only a later span reported it).
 */
export type Badge = 'llm' | 'aggregate' | 'tool' | 'mcp' | 'part' | 'delegation' | 'a2a' | 'error' | 'retry' | 'orphan'

export interface TraceModel {
  tree: SpanTree<Span>
  /** The time the timeline spans: the tree's, or the whole trace's while only its first spans are here. */
  startMs: number
  endMs: number
  /** Empty while only the trace's first spans are here: a path through part of a trace would mislead. */
  critical: CriticalPath
  /** The resolved agent of every span (own or nearest ancestor's; a hand-off works for its caller). */
  agentOf: Map<string, string>
  /** Agents in order of first appearance; index = lane. */
  agents: string[]
  badges: Map<string, Badge[]>
}

/** `partOf`: the whole trace's time range, when `spans` are only its first spans (the rest still loading). */
export function buildTraceModel(spans: Span[], partOf?: { startMs: number; endMs: number }): TraceModel {
  const tree = buildSpanTree(spans)
  const agentOf = new Map<string, string>()
  const badges = new Map<string, Badge[]>()
  const retried = retries(tree)
  // Lanes by first start time, so the orchestrator gets lane 0.
  const firstStart = new Map<string, number>()
  for (const node of tree.byId.values()) {
    const agent = node.span.agentName
    agentOf.set(node.span.spanId, agent)
    badges.set(node.span.spanId, spanBadges(node, retried.has(node)))
    if (agent && node.startMs < (firstStart.get(agent) ?? Infinity)) firstStart.set(agent, node.startMs)
  }
  const agents = [...firstStart.keys()].sort((a, b) => firstStart.get(a)! - firstStart.get(b)!)
  const critical = partOf ? { sections: [], spanIds: new Set<string>() } : criticalPath(tree)
  const range = partOf ?? { startMs: tree.startMs, endMs: tree.endMs }
  return { tree, ...range, critical, agentOf, agents, badges }
}

const hasFlag = (span: Span, ...flags: string[]) => flags.some((f) => span.flags.includes(f))

function spanBadges(node: SpanNode<Span>, isRetry: boolean): Badge[] {
  const span = node.span
  const out: Badge[] = []
  if (span.llmRole === 'call') out.push('llm')
  else if (span.llmRole === 'aggregate') out.push('aggregate')
  if (span.toolRole === 'call') out.push(hasFlag(span, SpanFlag.mcpClient, SpanFlag.mcpServer) ? 'mcp' : 'tool')
  else if (span.toolRole === 'part') out.push('part')
  if (span.isDelegation) out.push(hasFlag(span, SpanFlag.a2aClient, SpanFlag.a2aServer) ? 'a2a' : 'delegation')
  if (span.failed) out.push('error')
  if (isRetry) out.push('retry')
  if (node.isOrphan) out.push('orphan')
  return out
}

const toolOf = (span: Span) => span.toolName || span.name

/**
 * The counted tool calls that are retries: the latest earlier sibling call of the same tool failed.
 * One pass over each parent's children (in start order): a planner with 50k tool calls under it
 * would make a backwards search per call quadratic.
 */
function retries(tree: SpanTree<Span>): Set<SpanNode<Span>> {
  const out = new Set<SpanNode<Span>>()
  const lastFailed = new Map<string, boolean>()
  for (const parent of tree.byId.values()) {
    if (parent.children.length < 2) continue
    lastFailed.clear()
    for (const child of parent.children) {
      if (child.span.toolRole !== 'call') continue
      const tool = toolOf(child.span)
      if (lastFailed.get(tool)) out.add(child)
      lastFailed.set(tool, child.span.failed)
    }
  }
  return out
}

/** For a tool span that is part of a call counted elsewhere: the counted span (its nearest counted tool ancestor). */
export function countedCallOf(model: TraceModel, spanId: string): Span | undefined {
  const node = model.tree.byId.get(spanId)
  if (node?.span.toolRole !== 'part') return undefined
  for (let cursor = node.parent; cursor; cursor = cursor.parent) if (cursor.span.toolRole === 'call') return cursor.span
  return undefined
}

/** One accent per lane; neutral grey for spans outside any agent. */
const LANE_COLOURS = ['#3b6fd8', '#8a4fd0', '#0f8f7e', '#c26a12', '#c23b7a', '#5a7d1a', '#2b8fb8', '#8c6a3f']
export function laneColour(model: TraceModel, agent: string): string {
  const index = model.agents.indexOf(agent)
  return index < 0 ? '#8a919c' : LANE_COLOURS[index % LANE_COLOURS.length]!
}
