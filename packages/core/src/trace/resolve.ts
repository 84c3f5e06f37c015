/**
 * @module trace/resolve
 * One trace's spans (in any order, from any number of requests) → what the trace means: the agent
 * and counted role of every span, its outcome and failure reason, its story tags, its summary and
 * what it adds to the rollups. Ingest stores this answer (the `traces` table and the rollups fed
 * from it); the query API computes it the same way for a trace it returns. Deterministic: the same
 * spans give the same answer, whatever order they came in.
 */
import { contributionsOf, type Contribution } from './contributions.js'
import { findFailures, judge, type FailureFacts, type Judgement, type TraceOutcome } from './failures.js'
import { assignRoles, toolName, type SpanRole } from './roles.js'
import { SpanFlag, type SpanFacts } from './span-facts.js'
import type { TraceTag } from '@sightline/schema'
import { findTags, type LoopFinding } from './tags.js'
import { indexTrace, type TraceIndex } from './trace-index.js'

export interface ResolveOptions {
  /**
   * Whether more spans are still expected. A trace whose root has not arrived is `running` while
   * unsettled; once settled (quiet long enough) it is judged from the spans it has, tagged `partial`.
   */
  settled: boolean
  /**
   * Whether to compute what the trace adds to the rollups (default true). A reader that only shows
   * the trace skips it: at 100k spans it is a quarter of the resolution.
   */
  contributions?: boolean
}

export interface ResolvedTrace {
  rootSpanId: string
  name: string
  startMs: number
  endMs: number
  durationMs: number
  outcome: TraceOutcome
  /** Why a failed trace failed (`<who>: <message>`); '' otherwise. */
  failureReason: string
  failureSpanId: string
  /** The earliest failed span, whatever the outcome (a recovered trace has one too). */
  firstError: { spanId: string; message: string } | null
  tags: TraceTag[]
  loops: LoopFinding[]
  inputPreview: string
  outputPreview: string
  rootAgent: string
  rootService: string
  agents: string[]
  models: string[]
  tools: string[]
  services: string[]
  releases: string[]
  environments: string[]
  sessionId: string
  userId: string
  spanCount: number
  llmCalls: number
  toolCalls: number
  toolErrors: number
  delegations: number
  agentInvocations: number
  errorSpans: number
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  /** Sum over counted, priced model calls; null when none could be priced. */
  costUsd: number | null
  unpricedCalls: number
  /** Produced by `sightline regress` (a replay), not production traffic. */
  isRegressionRun: boolean
}

export interface Resolution {
  trace: ResolvedTrace
  roles: Map<string, SpanRole>
  failures: FailureFacts
  contributions: Contribution[]
}

const RANK: Record<TraceOutcome, number> = { ok: 0, recovered: 1, failed: 2, running: 3 }

export function resolveTrace(input: readonly SpanFacts[], options: ResolveOptions): Resolution {
  const index = indexTrace(input)
  const roles = assignRoles(index)
  const failures = findFailures(index, roles)
  const root = index.tops.find((s) => s.parentSpanId === '')
  // Each judgement walks the span's whole subtree; the root's is asked for three times.
  const judged = new Map<string, Judgement>()
  const judgeUnit = (span: SpanFacts): Judgement => {
    let judgement = judged.get(span.spanId)
    if (!judgement) judged.set(span.spanId, (judgement = judge(index, roles, failures, span)))
    return judgement
  }
  let judgement: Judgement
  if (!root && !options.settled) judgement = { outcome: 'running', causeSpanId: undefined }
  else {
    // With a root, orphan subtrees (their parent was lost) still count: the worst judgement wins.
    judgement = index.tops.map(judgeUnit).reduce((worst, j) => (RANK[j.outcome] > RANK[worst.outcome] ? j : worst), {
      outcome: 'ok',
      causeSpanId: undefined,
    } as Judgement)
    if (root && judgeUnit(root).outcome === 'running') judgement = { outcome: 'running', causeSpanId: undefined }
  }
  const { tags, loops } = findTags(index, roles, failures, {
    partial: !root && options.settled && index.spans.length > 0,
  })
  const trace = summarise(index, roles, failures, root, judgement, tags, loops)
  // A replay of a regression case is judged like any trace but is not production: it adds nothing to the rollups.
  const contributions =
    trace.isRegressionRun || options.contributions === false
      ? []
      : contributionsOf({
          index,
          roles,
          failures,
          trace: { outcome: trace.outcome, durationMs: trace.durationMs, userId: trace.userId, root },
          judgeUnit,
        })
  return { trace, roles, failures, contributions }
}

const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].filter((v) => v !== '').sort()

function summarise(
  index: TraceIndex,
  roles: Map<string, SpanRole>,
  failures: FailureFacts,
  root: SpanFacts | undefined,
  judgement: Judgement,
  tags: TraceTag[],
  loops: LoopFinding[],
): ResolvedTrace {
  const top = root ?? index.tops[0]
  const spans = index.preorder
  const calls = spans.filter((s) => roles.get(s.spanId)?.llm === 'call')
  const toolCalls = spans.filter((s) => roles.get(s.spanId)?.tool === 'call')
  const invocations = spans.filter((s) => s.kind === 'agent')
  const firstAgent = invocations[0] ? (roles.get(invocations[0].spanId)?.agent ?? '') : ''
  // Not Math.min(...spread): a spread of a huge trace's spans overflows the call stack.
  const startMs = spans.reduce((min, s) => Math.min(min, s.startMs), Number.POSITIVE_INFINITY)
  const endMs = spans.reduce((max, s) => Math.max(max, s.endMs), Number.NEGATIVE_INFINITY)
  const failedSpans = spans.filter((s) => failures.failed.has(s.spanId)).sort((a, b) => a.startMs - b.startMs)
  const cause = judgement.causeSpanId ? index.byId.get(judgement.causeSpanId) : undefined
  const priced = calls.filter((s) => s.costUsd !== null)
  const sum = (list: SpanFacts[], pick: (s: SpanFacts) => number) => list.reduce((n, s) => n + pick(s), 0)
  return {
    rootSpanId: top?.spanId ?? '',
    name: traceName(top, roles, firstAgent),
    startMs: spans.length ? startMs : 0,
    endMs: spans.length ? endMs : 0,
    durationMs: spans.length ? Math.max(0, endMs - startMs) : 0,
    outcome: judgement.outcome,
    failureReason: judgement.outcome === 'failed' && cause ? describeFailure(index, cause, roles, failures) : '',
    failureSpanId: judgement.outcome === 'failed' && cause ? cause.spanId : '',
    firstError: failedSpans[0]
      ? { spanId: failedSpans[0].spanId, message: describeFailure(index, failedSpans[0], roles, failures) }
      : null,
    tags,
    loops,
    inputPreview: top?.inputPreview || invocations[0]?.inputPreview || calls[0]?.inputPreview || '',
    outputPreview: top?.outputPreview || invocations[0]?.outputPreview || calls[calls.length - 1]?.outputPreview || '',
    rootAgent: (top && roles.get(top.spanId)?.agent) || firstAgent,
    rootService: top?.serviceName ?? '',
    agents: uniqueSorted(spans.map((s) => roles.get(s.spanId)?.agent ?? '')),
    models: uniqueSorted(calls.map((s) => s.model)),
    tools: uniqueSorted(toolCalls.map(toolName)),
    services: uniqueSorted(spans.map((s) => s.serviceName)),
    releases: uniqueSorted(spans.map((s) => s.serviceVersion)),
    environments: uniqueSorted(spans.map((s) => s.environment)),
    sessionId: traceSession(top, spans),
    userId: top?.userId || spans.find((s) => s.userId !== '')?.userId || '',
    spanCount: spans.length,
    llmCalls: calls.length,
    toolCalls: toolCalls.length,
    toolErrors: toolCalls.filter((s) => failures.failed.has(s.spanId)).length,
    delegations: spans.filter((s) => roles.get(s.spanId)?.isDelegation).length,
    agentInvocations: invocations.length,
    errorSpans: failedSpans.length,
    inputTokens: sum(calls, (s) => s.inputTokens),
    outputTokens: sum(calls, (s) => s.outputTokens),
    cachedInputTokens: sum(calls, (s) => s.cachedInputTokens),
    cacheWriteTokens: sum(calls, (s) => s.cacheWriteTokens),
    reasoningTokens: sum(calls, (s) => s.reasoningTokens),
    costUsd: priced.length > 0 ? sum(priced, (s) => s.costUsd ?? 0) : null,
    unpricedCalls: calls.filter((s) => s.isUnpriced).length,
    isRegressionRun: spans.some((s) => s.flags.includes(SpanFlag.regressionRun)),
  }
}

/** An explicit session key (the root's first) wins over a conversation id standing in for one. */
function traceSession(top: SpanFacts | undefined, spans: readonly SpanFacts[]): string {
  const explicit = (s: SpanFacts | undefined) =>
    s !== undefined && s.sessionId !== '' && !s.flags.includes(SpanFlag.sessionFromConversation)
  if (explicit(top)) return top!.sessionId
  return spans.find(explicit)?.sessionId || top?.sessionId || spans.find((s) => s.sessionId !== '')?.sessionId || ''
}

/** The root agent, or the trace's given name (a framework's generic root label does not count). */
function traceName(top: SpanFacts | undefined, roles: Map<string, SpanRole>, firstAgent: string): string {
  if (!top) return ''
  if (top.kind === 'agent') return roles.get(top.spanId)?.agent || top.name
  if (top.flags.includes(SpanFlag.genericName) && firstAgent) return firstAgent
  return top.name
}

/** `<who>: <message>` for a failed span: the tool, delegate, agent or model it stands for. */
export function describeFailure(
  index: TraceIndex,
  span: SpanFacts,
  roles: Map<string, SpanRole>,
  failures: FailureFacts,
): string {
  const role = roles.get(span.spanId)
  const who =
    role?.tool !== 'none' && role?.tool !== undefined
      ? toolName(span)
      : role?.isDelegation
        ? role.delegateTo
        : span.kind === 'agent'
          ? span.agentName || span.name
          : role?.llm === 'call'
            ? span.model || span.name
            : span.name
  const inferred = failures.failed.get(span.spanId)?.inferred === true
  // A tool call that failed at its other end (the MCP server) says why there.
  const part =
    role?.tool === 'call' && !span.statusMessage && !span.errorType
      ? index.spans.find(
          (s) =>
            roles.get(s.spanId)?.toolCallId === span.spanId &&
            s !== span &&
            failures.failed.has(s.spanId) &&
            (s.statusMessage || s.errorType),
        )
      : undefined
  const message =
    span.statusMessage ||
    span.errorType ||
    part?.statusMessage ||
    part?.errorType ||
    (inferred ? 'failure reported by a later model request' : 'failed')
  return `${who}: ${message}`
}
