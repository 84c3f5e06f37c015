/**
 * @module trace/tags
 * The story tags of a trace: loops, retries that recovered, guardrails that fired, hand-offs to a
 * human, a root that never arrived. One rule each, read by the trace list, the anomaly detector and
 * the regression proposal alike.
 */
import { TraceTagSchema, type TraceTag } from '@sightline/schema'
import type { FailureFacts } from './failures.js'
import { toolName, type SpanRole } from './roles.js'
import { SpanFlag, type SpanFacts } from './span-facts.js'
import type { TraceIndex } from './trace-index.js'

/** Tags in their display order (the contract's enum). */
const TRACE_TAGS = TraceTagSchema.options

/** Identical calls (same agent, tool and arguments) from this many on, not a recovered retry, are a loop. */
export const LOOP_MIN_CALLS = 3
/** Failed attempts a retry may take before the successful one and still be "a retry that recovered". */
export const MAX_RECOVERED_RETRIES = 3

export interface LoopFinding {
  agent: string
  tool: string
  /** Identity of the repeated arguments (see SpanFacts.toolArgsKey). */
  argsKey: string
  calls: number
  failedCalls: number
  spanIds: string[]
}

export interface TagFindings {
  tags: TraceTag[]
  loops: LoopFinding[]
}

export function findTags(
  index: TraceIndex,
  roles: Map<string, SpanRole>,
  failures: FailureFacts,
  options: { partial: boolean },
): TagFindings {
  const tags = new Set<TraceTag>()
  const loops: LoopFinding[] = []
  for (const group of identicalCalls(index, roles).values()) {
    const outcomes = group.map((span) => failures.failed.has(span.spanId))
    const last = outcomes.length - 1
    const isRecoveredRetry =
      last >= 1 && !outcomes[last] && outcomes.slice(0, last).every(Boolean) && last <= MAX_RECOVERED_RETRIES
    if (isRecoveredRetry) tags.add('recovered-retry')
    else if (group.length >= LOOP_MIN_CALLS) {
      const first = group[0]!
      loops.push({
        agent: roles.get(first.spanId)?.agent ?? '',
        tool: toolName(first),
        argsKey: first.toolArgsKey,
        calls: group.length,
        failedCalls: outcomes.filter(Boolean).length,
        spanIds: group.map((s) => s.spanId),
      })
    }
  }
  if (loops.length > 0) tags.add('loop')
  if (index.spans.some((s) => s.kind === 'guardrail' && failures.failed.has(s.spanId))) tags.add('guardrail')
  if (index.spans.some((s) => s.flags.includes(SpanFlag.humanEscalation))) tags.add('human-escalation')
  if (options.partial) tags.add('partial')
  return { tags: TRACE_TAGS.filter((t) => tags.has(t)), loops: loops.sort((a, b) => b.calls - a.calls) }
}

/**
 * Counted tool calls grouped by (agent, tool, arguments), each group in start order. Calls without captured arguments
 * are not compared.
 */
function identicalCalls(index: TraceIndex, roles: Map<string, SpanRole>): Map<string, SpanFacts[]> {
  const groups = new Map<string, SpanFacts[]>()
  for (const span of index.spans) {
    const role = roles.get(span.spanId)
    if (role?.tool !== 'call' || span.toolArgsKey === '') continue
    const key = `${role.agent}\u0000${toolName(span).toLowerCase()}\u0000${span.toolArgsKey}`
    const group = groups.get(key)
    if (group) group.push(span)
    else groups.set(key, [span])
  }
  for (const group of groups.values()) group.sort((a, b) => a.startMs - b.startMs)
  return groups
}
