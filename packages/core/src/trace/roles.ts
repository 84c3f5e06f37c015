/**
 * @module trace/roles
 * Which spans are *the* counted model calls, tool calls and delegations of a trace, and which agent
 * each span works for. The rules are structural, so that a new library does not need a new rule:
 *
 * - **Model calls** are counted once along a chain of spans describing them: a span carrying usage
 *   with a usage-carrying descendant is an *aggregate* (AI SDK `ai.generateText` over its
 *   `doGenerate` steps, a generation span over its chat span, an agent span summing its calls), so
 *   only the innermost spans are calls. Usage inside a tool call is that call's own work, never
 *   part of its caller's: a model call may contain the tool calls it asked for (ADK runs them
 *   inside `call_llm`), and a sub-agent used as a tool bills its own model calls.
 * - **Tool calls** are counted once along a chain of tool spans of the same tool with no model call,
 *   agent or hand-off in between (a framework's tool span over an MCP client span over the MCP
 *   server span): the outermost is the call, the others are *parts* of it.
 * - **Delegations**: a hand-off span (the A2A client end) is one; the remote agent's server span
 *   under it is that agent's invocation, not a second delegation. A remote agent invoked with no
 *   traced client (a server span whose parent is another service's span) is a delegation too.
 * - **Agent**: a span's own agent name, else its nearest ancestor's; a hand-off works for its caller.
 */
import { SpanFlag, type SpanFacts } from './span-facts.js'
import type { TraceIndex } from './trace-index.js'

export type LlmRole = 'call' | 'aggregate' | 'none'
export type ToolRole = 'call' | 'part' | 'none'

export interface SpanRole {
  /** The agent the span works for ('' when no agent ancestor names one: unattributed). */
  agent: string
  llm: LlmRole
  tool: ToolRole
  /** For tool parts: the counted span of their chain; for calls: themselves. */
  toolCallId: string
  /** The tool whose work this span is part of ('' outside any tool call): LLM calls inside a tool. */
  withinTool: string
  isDelegation: boolean
  /** Target agent of a delegation. */
  delegateTo: string
  isAgentInvocation: boolean
}

export const hasUsage = (s: SpanFacts) =>
  s.isLlmCall ||
  s.inputTokens > 0 ||
  s.outputTokens > 0 ||
  s.cachedInputTokens > 0 ||
  s.cacheWriteTokens > 0 ||
  s.reasoningTokens > 0

/** Where a chain of tool spans of one call is broken: work of its own sits in between. */
const breaksToolChain = (s: SpanFacts) => s.kind === 'agent' || s.kind === 'handoff' || hasUsage(s)

const toolKey = (s: SpanFacts) => (s.toolName || s.name).trim().toLowerCase()

export function assignRoles(index: TraceIndex): Map<string, SpanRole> {
  const roles = new Map<string, SpanRole>()
  const aggregates = usageAggregates(index)
  for (const span of index.preorder) {
    const parent = index.parentOf.get(span.spanId)
    const parentRole = parent ? roles.get(parent.spanId) : undefined
    const inherited = parentRole?.agent ?? ''
    const agent = span.kind === 'handoff' ? inherited : span.agentName || inherited
    const llm: LlmRole = !hasUsage(span) ? 'none' : aggregates.has(span.spanId) ? 'aggregate' : 'call'
    const chainHead = span.kind === 'tool' ? toolChainHead(index, roles, span) : undefined
    const tool: ToolRole = span.kind !== 'tool' ? 'none' : chainHead ? 'part' : 'call'
    const delegation = delegationOf(index, span, parent)
    roles.set(span.spanId, {
      agent,
      llm,
      tool,
      toolCallId: chainHead ?? (tool === 'call' ? span.spanId : ''),
      withinTool:
        tool !== 'none' ? toolName(chainHead ? index.byId.get(chainHead)! : span) : (parentRole?.withinTool ?? ''),
      isDelegation: delegation !== undefined,
      delegateTo: delegation ?? '',
      isAgentInvocation: span.kind === 'agent',
    })
  }
  return roles
}

export const toolName = (s: SpanFacts) => s.toolName || s.name

/** Spans carrying usage that have a usage-carrying descendant outside any tool call. */
function usageAggregates(index: TraceIndex): Set<string> {
  const below = new Set<string>()
  const aggregates = new Set<string>()
  // Reverse preorder visits children before their parents.
  for (let i = index.preorder.length - 1; i >= 0; i--) {
    const span = index.preorder[i]!
    const childHasUsage = (index.childrenOf.get(span.spanId) ?? []).some(
      (c) => c.kind !== 'tool' && below.has(c.spanId),
    )
    if (childHasUsage && hasUsage(span)) aggregates.add(span.spanId)
    if (childHasUsage || hasUsage(span)) below.add(span.spanId)
  }
  return aggregates
}

/** The counted span of the call `span` belongs to, when an ancestor tool span of the same tool is it. */
function toolChainHead(index: TraceIndex, roles: Map<string, SpanRole>, span: SpanFacts): string | undefined {
  const key = toolKey(span)
  let cursor = index.parentOf.get(span.spanId)
  while (cursor) {
    if (cursor.kind === 'tool') {
      if (toolKey(cursor) !== key) return undefined
      const role = roles.get(cursor.spanId)
      return role?.tool === 'part' ? role.toolCallId : cursor.spanId
    }
    if (breaksToolChain(cursor)) return undefined
    cursor = index.parentOf.get(cursor.spanId)
  }
  return undefined
}

/** The delegated agent when `span` counts as a delegation, else undefined. */
function delegationOf(index: TraceIndex, span: SpanFacts, parent: SpanFacts | undefined): string | undefined {
  if (span.kind === 'handoff') return span.agentName || span.name
  if (span.kind !== 'agent' || !parent || !span.flags.includes(SpanFlag.a2aServer)) return undefined
  // A server span under a traced hand-off is that hand-off's other end.
  for (let cursor: SpanFacts | undefined = parent; cursor; cursor = index.parentOf.get(cursor.spanId)) {
    if (cursor.kind === 'handoff') return undefined
    if (cursor.kind === 'agent' || hasUsage(cursor) || cursor.kind === 'tool') break
  }
  return parent.serviceName !== span.serviceName ? span.agentName || span.name : undefined
}
