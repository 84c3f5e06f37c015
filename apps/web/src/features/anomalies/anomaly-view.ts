/** How an anomaly reads on screen (what, where, how far from normal) and where its links go. */
import type { Anomaly, AnomalyKind, TraceOutcome } from '@sightline/schema'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'
import { GROUP_BYS, serializeDashboardQuery, type GroupBy } from '../dashboards/dashboard-url'
import { explorerLink } from '../dashboards/explorer-link'
import { formatPercent } from '../dashboards/overview-tiles'

export const KIND_LABELS: Record<AnomalyKind, string> = {
  spike: 'Spike',
  level_shift: 'Level shift',
  tool_loop: 'Tool loop',
  step_explosion: 'Step explosion',
  trace_cost: 'Expensive trace',
  tool_error_burst: 'Tool-error burst',
  unfinished_agent: 'Unfinished agent',
  score_drop: 'Score drop',
}

const METRIC_LABELS: Record<Anomaly['metric'], string> = {
  cost: 'cost',
  tokens: 'tokens',
  latency_p95: 'p95 latency',
  error_rate: 'error rate',
  repeated_calls: 'repeated calls',
  spans_per_trace: 'spans per trace',
  trace_cost: 'trace cost',
  trace_tokens: 'trace tokens',
  tool_errors: 'tool errors',
  minutes_unfinished: 'minutes unfinished',
  score_pass_rate: 'pass rate',
  score_mean: 'mean score',
}

export const metricLabel = (a: Anomaly) => METRIC_LABELS[a.metric]

/** "model claude-opus-4", "project total", "trace (tool weather)". */
export function whereText(a: Anomaly): string {
  if (a.dimension === 'total') return 'project total'
  if (a.dimension === 'trace') return a.value ? `one trace (${a.value})` : 'one trace'
  return `${a.dimension} ${a.value}`
}

/** Observed / expected in the metric's unit. */
export function formatMetricValue(a: Anomaly, value: number): string {
  switch (a.metric) {
    case 'cost':
    case 'trace_cost':
      return formatCost(value)
    case 'tokens':
    case 'trace_tokens':
      return formatTokens(value)
    case 'latency_p95':
      return formatDuration(value)
    case 'error_rate':
      return formatPercent(value)
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(1)
  }
}

/** "4.2× expected" when there is a meaningful ratio, else the difference. */
export function howFar(a: Anomaly): string {
  if (a.expected > 0 && a.observed >= 0)
    return `${(a.observed / a.expected).toFixed(a.observed / a.expected >= 10 ? 0 : 1)}× expected`
  return `${formatMetricValue(a, a.observed - a.expected)} above expected`
}

const HOUR = 3_600_000
const episodeEnd = (a: Anomaly, now: number) =>
  a.endedAt ? Date.parse(a.endedAt) : Math.max(Date.parse(a.lastSeenAt), Math.min(now, Date.parse(a.lastSeenAt) + HOUR))
const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString()

/** The explorer over the episode (one trace: that trace itself). */
export function tracesLink(a: Anomaly, now = Date.now()): string {
  if (a.dimension === 'trace' && a.traceIds.length === 1) return `/traces/${a.traceIds[0]}`
  const from = minute(Date.parse(a.startedAt) - 5 * 60_000)
  const to = minute(episodeEnd(a, now) + 5 * 60_000 + 59_999)
  const dimension = a.dimension === 'trace' ? 'total' : a.dimension
  // Failed traces make the error rate; a failed tool call sits in a failed or a recovered trace.
  const outcomes: TraceOutcome[] | undefined =
    a.metric === 'error_rate' ? ['failed'] : a.metric === 'tool_errors' ? ['failed', 'recovered'] : undefined
  const sort =
    a.metric === 'latency_p95' ? 'durationMs' : a.metric === 'cost' || a.metric === 'trace_cost' ? 'costUsd' : undefined
  return explorerLink({ dimension, value: a.value || null, from, to, outcomes, sort })
}

/** The dashboards around the episode, grouped by its dimension when the cost chart can be. */
export function chartLink(a: Anomaly, now = Date.now()): string {
  const from = minute(Date.parse(a.startedAt) - 3 * HOUR)
  const to = minute(Math.min(now + 60_000, episodeEnd(a, now) + HOUR))
  const groupBy = (GROUP_BYS as readonly string[]).includes(a.dimension) ? (a.dimension as GroupBy) : 'model'
  return `/dashboards?${serializeDashboardQuery({ range: 'custom', from, to, groupBy })}`
}
