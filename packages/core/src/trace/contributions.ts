/**
 * @module trace/contributions
 * What one resolved trace adds to the rollups, per dimension value. Every quantity of a trace is
 * attributed to exactly one value of each dimension ('' = unattributed: a model call under no
 * agent, a trace without a user), so every split of a dimension adds up to the total.
 *
 * Units (what calls, failures and latency count) differ per dimension:
 * - total, user: the trace (failed = outcome `failed`; running traces have no outcome yet);
 * - agent, service, release, environment, agent_release: agent invocations, judged like a trace; a trace without
 *   any agent span counts its root instead;
 * - model: counted model calls; tool: counted tool calls.
 *
 * Edge dimensions (the fleet map and the registry's callers) split their own measure, not the cost:
 * - agent_tool (value: agent, NUL, tool): counted tool calls by the agent that made them;
 * - agent_agent (value: caller, NUL, delegate): delegations, each judged like an agent invocation,
 *   carrying the model calls, tokens and cost of the work under it (what the caller delegated).
 */
import { histogramOf, type Histogram } from '../stats/latency-histogram.js'
import type { FailureFacts, Judgement, TraceOutcome } from './failures.js'
import type { SpanRole } from './roles.js'
import type { SpanFacts } from './span-facts.js'
import { subtree, type TraceIndex } from './trace-index.js'

export const ROLLUP_DIMENSIONS = [
  'total',
  'agent',
  'model',
  'tool',
  'user',
  'service',
  'release',
  'environment',
  'agent_release',
] as const
/** Pairs: every tool call is in one `agent_tool` row, every delegation in one `agent_agent` row. */
export const EDGE_DIMENSIONS = ['agent_tool', 'agent_agent'] as const
const ALL_DIMENSIONS: readonly string[] = [...ROLLUP_DIMENSIONS, ...EDGE_DIMENSIONS]

/** `agent_release` values: an agent and the release it ran as (the anomaly detector compares an agent's releases). */
export const agentReleaseKey = (agent: string, release: string) =>
  agent === '' && release === '' ? '' : `${agent}\u0000${release}`
/**
 * `agent_tool` and `agent_agent` values: the two ends of an edge ('' for an unattributed end).
 * @alias the same encoding as agentReleaseKey, named for what it keys
 */
export const edgeKey = agentReleaseKey
/** The two ends of a pair value (agent_release, agent_tool, agent_agent). */
export function splitPairKey(value: string): [string, string] {
  const at = value.indexOf('\u0000')
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)]
}
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number] | (typeof EDGE_DIMENSIONS)[number]

export interface Contribution {
  dimType: RollupDimension
  /** '' on `total`, and on other dimensions for what no value is attributed to. */
  dimValue: string
  costUsd: number
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  llmCalls: number
  llmErrors: number
  unpricedCalls: number
  unpricedInputTokens: number
  unpricedOutputTokens: number
  toolCalls: number
  toolErrors: number
  delegations: number
  units: number
  unitFailures: number
  unitRecovered: number
  traces: number
  spans: number
  latency: Histogram
}

type Counters = Omit<Contribution, 'dimType' | 'dimValue' | 'latency'> & { durations: number[] }

const zero = (): Counters => ({
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  llmCalls: 0,
  llmErrors: 0,
  unpricedCalls: 0,
  unpricedInputTokens: 0,
  unpricedOutputTokens: 0,
  toolCalls: 0,
  toolErrors: 0,
  delegations: 0,
  units: 0,
  unitFailures: 0,
  unitRecovered: 0,
  traces: 0,
  spans: 0,
  durations: [],
})

export interface ContributionInput {
  index: TraceIndex
  roles: Map<string, SpanRole>
  failures: FailureFacts
  /** The trace as a unit (root or tops), with its outcome and duration. */
  trace: { outcome: TraceOutcome; durationMs: number; userId: string; root: SpanFacts | undefined }
  /** Outcome of each agent invocation (and of the root when the trace has no agent span). */
  judgeUnit: (span: SpanFacts) => Judgement
}

export function contributionsOf(input: ContributionInput): Contribution[] {
  const { index, roles, failures, trace } = input
  const rows = new Map<string, Counters>()
  const at = (dim: RollupDimension, value: string): Counters => {
    const key = `${dim}\u0000${value}`
    let row = rows.get(key)
    if (!row) rows.set(key, (row = zero()))
    return row
  }
  const spread = (span: SpanFacts, role: SpanRole, each: (row: Counters) => void) => {
    each(at('total', ''))
    each(at('agent', role.agent))
    each(at('user', trace.userId))
    each(at('service', span.serviceName))
    each(at('release', span.serviceVersion))
    each(at('environment', span.environment))
    each(at('agent_release', agentReleaseKey(role.agent, span.serviceVersion)))
  }
  const unit = (row: Counters, judgement: { outcome: TraceOutcome }, durationMs: number) => {
    if (judgement.outcome === 'running') return
    row.units += 1
    if (judgement.outcome === 'failed') row.unitFailures += 1
    if (judgement.outcome === 'recovered') row.unitRecovered += 1
    row.durations.push(durationMs)
  }

  for (const row of [at('total', ''), at('user', trace.userId)]) {
    row.traces += 1
    unit(row, trace, trace.durationMs)
  }
  at('total', '').spans = index.spans.length

  let agentUnits = 0
  for (const span of index.preorder) {
    const role = roles.get(span.spanId)!
    const failed = failures.failed.has(span.spanId)
    if (role.llm === 'call') {
      const addCall = (row: Counters) => addLlmCall(row, span, failed)
      spread(span, role, addCall)
      addCall(at('model', span.model))
      addCall(at('tool', role.withinTool))
      unit(at('model', span.model), { outcome: failed ? 'failed' : 'ok' }, span.durationMs)
    }
    if (role.tool === 'call') {
      const addTool = (row: Counters) => {
        row.toolCalls += 1
        if (failed) row.toolErrors += 1
      }
      spread(span, role, addTool)
      const edge = at('agent_tool', edgeKey(role.agent, role.withinTool))
      for (const row of [at('tool', role.withinTool), edge]) {
        addTool(row)
        unit(row, { outcome: failed ? 'failed' : 'ok' }, span.durationMs)
      }
    }
    if (role.isDelegation) {
      spread(span, role, (row) => (row.delegations += 1))
      const edge = at('agent_agent', edgeKey(role.agent, role.delegateTo))
      edge.delegations += 1
      unit(edge, input.judgeUnit(span), span.durationMs)
      for (const below of subtree(index, span))
        if (roles.get(below.spanId)?.llm === 'call') addLlmCall(edge, below, failures.failed.has(below.spanId))
    }
    if (role.isAgentInvocation) {
      agentUnits += 1
      const judgement = input.judgeUnit(span)
      const agent = span.agentName || role.agent
      const rows = [
        at('agent', agent),
        at('service', span.serviceName),
        at('release', span.serviceVersion),
        at('environment', span.environment),
        at('agent_release', agentReleaseKey(agent, span.serviceVersion)),
      ]
      for (const row of rows) unit(row, judgement, span.durationMs)
    }
  }
  if (agentUnits === 0 && trace.root) {
    const root = trace.root
    for (const row of [
      at('service', root.serviceName),
      at('release', root.serviceVersion),
      at('environment', root.environment),
    ])
      unit(row, trace, trace.durationMs)
  }
  const order = (c: Contribution) => ALL_DIMENSIONS.indexOf(c.dimType)
  return [...rows.entries()]
    .map(([key, { durations, ...counters }]): Contribution => {
      // Split at the first NUL only: pair values (agent_release, edges) carry one of their own.
      const [dimType, dimValue] = splitPairKey(key) as [RollupDimension, string]
      return { dimType, dimValue, ...counters, latency: histogramOf(durations) }
    })
    .sort((a, b) => order(a) - order(b) || (a.dimValue < b.dimValue ? -1 : a.dimValue > b.dimValue ? 1 : 0))
}

function addLlmCall(row: Counters, span: SpanFacts, failed: boolean): void {
  row.llmCalls += 1
  if (failed) row.llmErrors += 1
  row.inputTokens += span.inputTokens
  row.outputTokens += span.outputTokens
  row.cachedInputTokens += span.cachedInputTokens
  row.cacheWriteTokens += span.cacheWriteTokens
  row.reasoningTokens += span.reasoningTokens
  if (span.costUsd !== null) row.costUsd += span.costUsd
  if (span.isUnpriced) {
    row.unpricedCalls += 1
    row.unpricedInputTokens += span.inputTokens
    row.unpricedOutputTokens += span.outputTokens
  }
}
