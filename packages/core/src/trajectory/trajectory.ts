/**
 * @module trajectory
 * An agent run as an ordered list of steps: its counted model calls, tool calls and delegations, as
 * the trace resolver counts them (an MCP call traced on both ends is one tool call, an A2A hand-off
 * and the remote agent's server span are one delegation). Compare aligns two of these
 * (`alignTrajectories`) and the regression logic builds its steps from them, so it stays pure: no
 * React, no I/O.
 */
import { canonicalJson } from '../content/canonical-json.js'
import type { Resolution } from '../trace/resolve.js'
import type { SpanRole } from '../trace/roles.js'
import { resolveSpans, type FactSpan } from '../trace/span-to-facts.js'
import { isoToEpochMs } from '../trace/span-tree.js'

export { canonicalJson }

/**
 * The span fields a trajectory reads: an API `Span` fits (skeleton spans lack arguments; steps then compare by name).
 */
export type TrajectorySpan = FactSpan

export type StepKind = 'llm' | 'tool' | 'delegation'

export interface TrajectoryStep {
  kind: StepKind
  /** The agent that took the step ('' when the trace names none); for a delegation, the caller. */
  agent: string
  /** Model for llm, tool name for tool, target agent for delegation. */
  name: string
  /** Canonical JSON of the tool arguments ('' otherwise). */
  args: string
  /** What two steps must share to count as the same step. */
  signature: string
  /** The counted span of the step (an MCP call's client end, a hand-off's client end). */
  spanId: string
  startMs: number
  /** The step failed (a tool call fails when any span of its chain does, or when a later span reported it). */
  isError: boolean
}

/**
 * The other spans of each counted tool call (an MCP call's server end under its client end), by the
 * counted span's id: what they recorded stands in for what the counted span lacks.
 */
export function toolCallParts<S extends { spanId: string }>(
  spans: readonly S[],
  roles: ReadonlyMap<string, SpanRole>,
): Map<string, S[]> {
  const parts = new Map<string, S[]>()
  for (const span of spans) {
    const role = roles.get(span.spanId)
    if (role?.tool !== 'part') continue
    const list = parts.get(role.toolCallId)
    if (list) list.push(span)
    else parts.set(role.toolCallId, [span])
  }
  return parts
}

/** The tool call's arguments as sent: the counted span's, else the first part's that has them. */
export function toolArgumentsOf(span: FactSpan, parts: readonly FactSpan[] = []): string {
  return span.toolArguments || parts.find((p) => p.toolArguments)?.toolArguments || ''
}

/**
 * Steps in start order, one per counted model call, tool call and delegation by an agent, from the
 * resolution (`resolveSpans(spans)` unless the caller already has it).
 * @example toTrajectory(spans).map((s) => s.signature) // ['llm:gpt-4o', 'tool:search({"q":"x"})',
 * 'delegation:researcher']
 */
export function toTrajectory(
  spans: readonly TrajectorySpan[],
  resolution: Resolution = resolveSpans(spans),
): TrajectoryStep[] {
  const { roles, failures } = resolution
  const byId = new Map<string, TrajectorySpan>()
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span)
  const parts = toolCallParts([...byId.values()], roles)
  const steps: TrajectoryStep[] = []
  // The roles map is in the resolver's preorder (parents first, siblings by start): ties in start
  // time keep that order whatever order the spans came in.
  for (const [spanId, role] of roles) {
    const span = byId.get(spanId)
    if (!span) continue
    const base = {
      agent: role.agent,
      spanId,
      startMs: isoToEpochMs(span.startTime),
      isError: failures.failed.has(spanId),
    }
    if (role.llm === 'call') {
      const name = span.model || span.name
      steps.push({ ...base, kind: 'llm', name, args: '', signature: `llm:${name}` })
    } else if (role.tool === 'call') {
      const name = span.toolName || span.name
      const args = canonicalJson(toolArgumentsOf(span, parts.get(spanId)))
      steps.push({ ...base, kind: 'tool', name, args, signature: `tool:${name}(${args})` })
    } else if (role.isDelegation) {
      // A hand-off already works for its caller; a remote agent's server span with no traced client is the delegate
      // itself.
      const caller = roles.get(span.parentSpanId)?.agent ?? role.agent
      // A step is taken by an agent: a delegation from no agent (the `sightline regress` runner's
      // request, a gateway's) is where the run begins, not a step of it.
      if (caller === '') continue
      steps.push({
        ...base,
        agent: caller,
        kind: 'delegation',
        name: role.delegateTo,
        args: '',
        signature: `delegation:${role.delegateTo}`,
      })
    }
  }
  return steps.sort((a, b) => a.startMs - b.startMs)
}
