/**
 * @module trace/failures
 * Which spans failed, which failures were recovered, and the outcome of a trace (or of one agent
 * invocation, judged the same way). This is the one definition of "failed" every page, API, the
 * anomaly detector and the regression runner read:
 *
 * - `running`: the root span has not arrived yet (and the trace is not settled), or it has not ended;
 * - `failed`: the root failed, or an agent invocation or delegation inside failed and was not
 *   recovered by a later successful attempt of the same agent from the same caller;
 * - `recovered`: something failed inside (a tool, a guardrail, a retried agent) but the run ended well;
 * - `ok`: nothing failed.
 *
 * A span failed when its status says so, or when a later span reports it failed (ADK ends a
 * throwing tool's span without an error status; the next model request carries the error).
 */
import type { TraceOutcome } from '@sightline/schema'
import type { SpanRole } from './roles.js'
import { toolName } from './roles.js'
import { SpanFlag, type SpanFacts } from './span-facts.js'
import { subtree, type TraceIndex } from './trace-index.js'

export type { TraceOutcome }

export interface FailureFacts {
  /** Spans that failed, by id; `true` when only another span's report says so. */
  failed: Map<string, { inferred: boolean }>
  /** Failed tool calls, agent invocations and delegations that a later identical attempt recovered. */
  recovered: Set<string>
}

export function findFailures(index: TraceIndex, roles: Map<string, SpanRole>): FailureFacts {
  const failed = new Map<string, { inferred: boolean }>()
  for (const span of index.spans) if (span.status === 'error') failed.set(span.spanId, { inferred: false })
  inferReportedToolErrors(index, roles, failed)
  // A call fails when any span of its chain does (the MCP server end failing is the call failing).
  for (const span of index.spans) {
    const role = roles.get(span.spanId)
    const part = failed.get(span.spanId)
    if (role?.tool === 'part' && part && !failed.has(role.toolCallId)) failed.set(role.toolCallId, part)
  }
  return { failed, recovered: recoveredAttempts(index, roles, failed) }
}

function inferReportedToolErrors(
  index: TraceIndex,
  roles: Map<string, SpanRole>,
  failed: FailureFacts['failed'],
): void {
  const reporters = index.preorder.filter((s) => s.reportedToolErrors.length > 0).sort((a, b) => a.startMs - b.startMs)
  if (reporters.length === 0) return
  const tools = index.preorder.filter((s) => roles.get(s.spanId)?.tool === 'call').sort((a, b) => a.startMs - b.startMs)
  const byCallId = new Map<string, SpanFacts[]>()
  for (const span of index.spans) {
    if (span.kind !== 'tool' || !span.toolCallId) continue
    const same = byCallId.get(span.toolCallId)
    if (same) same.push(span)
    else byCallId.set(span.toolCallId, [span])
  }
  const mark = (span: SpanFacts) => {
    if (!failed.has(span.spanId)) failed.set(span.spanId, { inferred: true })
  }
  for (const reporter of reporters) {
    const agent = roles.get(reporter.spanId)?.agent ?? ''
    for (const entry of reporter.reportedToolErrors) {
      const byId = byCallId.get(entry)
      if (byId) {
        byId.forEach(mark)
        continue
      }
      // No call id: the latest earlier call of that tool by the same agent not already failed.
      const name = entry.toLowerCase()
      const match = [...tools]
        .reverse()
        .find(
          (t) =>
            t.startMs <= reporter.startMs &&
            toolName(t).toLowerCase() === name &&
            roles.get(t.spanId)?.agent === agent &&
            !failed.has(t.spanId),
        )
      if (match) mark(match)
    }
  }
}

/** The agent invocation a span runs inside (its nearest agent ancestor), or its top. */
function scopeOf(index: TraceIndex, span: SpanFacts): string {
  let cursor = index.parentOf.get(span.spanId)
  let last: SpanFacts = span
  while (cursor) {
    if (cursor.kind === 'agent') return cursor.spanId
    last = cursor
    cursor = index.parentOf.get(cursor.spanId)
  }
  return last.spanId
}

const attemptTarget = (span: SpanFacts, role: SpanRole | undefined): string | undefined => {
  if (role?.tool === 'call') return `tool:${toolName(span).toLowerCase()}:${span.toolArgsKey}`
  if (role?.isDelegation) return `delegation:${role.delegateTo}`
  if (role?.isAgentInvocation) return `agent:${span.agentName || span.name}`
  return undefined
}

/**
 * A failed attempt is recovered when the same caller later made the same attempt again (the same
 * agent, delegate, or tool with the same arguments), successfully.
 */
function recoveredAttempts(
  index: TraceIndex,
  roles: Map<string, SpanRole>,
  failed: FailureFacts['failed'],
): Set<string> {
  const attempts = new Map<string, SpanFacts[]>()
  for (const span of index.preorder) {
    const target = attemptTarget(span, roles.get(span.spanId))
    if (!target) continue
    const key = `${scopeOf(index, span)}\u0000${target}`
    const group = attempts.get(key)
    if (group) group.push(span)
    else attempts.set(key, [span])
  }
  // A failed attempt is recovered when a successful one of its group started no earlier: linear in
  // the group (an agent loop can make 10k attempts of one sub-agent under one caller).
  const recovered = new Set<string>()
  for (const group of attempts.values()) {
    let lastSuccessStartMs = Number.NEGATIVE_INFINITY
    for (const attempt of group)
      if (!failed.has(attempt.spanId)) lastSuccessStartMs = Math.max(lastSuccessStartMs, attempt.startMs)
    for (const attempt of group)
      if (failed.has(attempt.spanId) && lastSuccessStartMs >= attempt.startMs) recovered.add(attempt.spanId)
  }
  return recovered
}

export interface Judgement {
  outcome: TraceOutcome
  /** The span whose failure explains the outcome (failed), or undefined. */
  causeSpanId: string | undefined
}

/**
 * The outcome of the work under `top` (a trace root, an orphan top, or an agent invocation). The top
 * itself is never "recovered" from: a failed root is a failed trace.
 */
export function judge(
  index: TraceIndex,
  roles: Map<string, SpanRole>,
  failures: FailureFacts,
  top: SpanFacts,
): Judgement {
  if (top.flags.includes(SpanFlag.noEndTime)) return { outcome: 'running', causeSpanId: undefined }
  const spans = subtree(index, top)
  const unrecovered = spans.filter((s) => {
    if (s === top || !failures.failed.has(s.spanId) || failures.recovered.has(s.spanId)) return false
    const role = roles.get(s.spanId)
    return role?.isAgentInvocation === true || role?.isDelegation === true
  })
  if (failures.failed.has(top.spanId) || unrecovered.length > 0) {
    const start = failures.failed.has(top.spanId) ? top : unrecovered[0]!
    return { outcome: 'failed', causeSpanId: deepestFailure(index, failures, start).spanId }
  }
  const anyFailure = spans.some((s) => failures.failed.has(s.spanId))
  return { outcome: anyFailure ? 'recovered' : 'ok', causeSpanId: undefined }
}

/** Follows failed children down from `start` (earliest-ending first): the root cause of a failure. */
function deepestFailure(index: TraceIndex, failures: FailureFacts, start: SpanFacts): SpanFacts {
  let current = start
  for (let guard = 0; guard < index.spans.length; guard++) {
    const failedChildren = (index.childrenOf.get(current.spanId) ?? []).filter(
      (c) => failures.failed.has(c.spanId) && !failures.recovered.has(c.spanId),
    )
    if (failedChildren.length === 0) return current
    current = failedChildren.reduce((a, b) => (b.endMs < a.endMs ? b : a))
  }
  return current
}
