/**
 * How an incident reads on screen and where its links go: the explorer over its window narrowed to
 * what it is about (model, agent, tool, release), the dashboards around it, and which dashboard
 * charts it is shaded on. Pure, so the feed, the incident page and the charts agree.
 */
import type { AnomalyMetric, Incident, IncidentFamily, IncidentStatus } from '@sightline/schema'
import { parseExplorerQuery, serializeExplorerQuery, type ExplorerQuery } from '../explorer/explorer-url'
import { serializeDashboardQuery, type GroupBy } from '../dashboards/dashboard-url'

export const STATUS_LABELS: Record<IncidentStatus, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  snoozed: 'snoozed',
  resolved: 'resolved',
}

/** Snooze choices offered in the console, in minutes. */
export const SNOOZE_CHOICES: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 30, label: '30 min' },
  { minutes: 120, label: '2 h' },
  { minutes: 480, label: '8 h' },
  { minutes: 1440, label: '1 day' },
]

const MIN = 60_000
const HOUR = 60 * MIN
const minute = (ms: number) => new Date(Math.floor(ms / MIN) * MIN).toISOString()

/** Where the incident's window ends: its recovery, or now while it is active (capped an hour after last seen). */
export function incidentEnd(i: Incident, now = Date.now()): number {
  if (i.recoveredAt) return Date.parse(i.recoveredAt)
  if (i.resolvedAt) return Date.parse(i.resolvedAt)
  return Math.max(Date.parse(i.lastSeenAt), Math.min(now, Date.parse(i.lastSeenAt) + HOUR))
}

/** "since 21:20, 12 min" / "21:20 – 21:31" in local time. */
export function windowText(i: Incident, now = Date.now()): string {
  const hhmm = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  const start = Date.parse(i.firstSeenAt)
  const end = incidentEnd(i, now)
  const minutes = Math.max(1, Math.round((end - start) / MIN))
  return i.signal === 'active'
    ? `since ${hhmm(start)} (${minutes} min)`
    : `${hhmm(start)} – ${hhmm(end)} (${minutes} min)`
}

const FAILING: readonly IncidentFamily[] = ['errors', 'loop', 'tool_errors', 'unfinished']

/** The explorer over the incident's window, narrowed to its scope and sorted by what it is about. */
export function incidentTracesLink(i: Incident, now = Date.now()): string {
  const q: ExplorerQuery = {
    ...parseExplorerQuery(''),
    range: 'custom',
    from: minute(Date.parse(i.firstSeenAt) - 5 * MIN),
    to: minute(incidentEnd(i, now) + 5 * MIN + 59_999),
  }
  const lists = { ...q.lists }
  if (i.scope.model && (i.family === 'cost' || i.family === 'outlier')) lists.model = [i.scope.model]
  if (i.scope.agent) lists.agent = [i.scope.agent]
  if (i.scope.tool) lists.tool = [i.scope.tool]
  if (i.scope.release) lists.release = [i.scope.release]
  q.lists = lists
  if (FAILING.includes(i.family)) q.outcomes = ['failed']
  if (i.family === 'cost' || i.family === 'outlier') q.sort = 'costUsd'
  if (i.family === 'latency' || i.family === 'release_latency') q.sort = 'durationMs'
  return `/traces?${serializeExplorerQuery(q)}`
}

/** The dashboards from three hours before the incident, grouped by what drove it. */
export function incidentChartLink(i: Incident, now = Date.now()): string {
  const from = minute(Date.parse(i.firstSeenAt) - 3 * HOUR)
  const to = minute(Math.min(now + MIN, incidentEnd(i, now) + HOUR))
  const groupBy: GroupBy =
    i.scope.release && !i.scope.model ? 'release' : i.scope.agent && !i.scope.model ? 'agent' : 'model'
  return `/dashboards?${serializeDashboardQuery({ range: 'custom', from, to, groupBy })}`
}

/** The dashboard charts (by the metric each one shows) an incident is shaded on. */
const CHART_METRICS: Record<string, readonly AnomalyMetric[]> = {
  cost: ['cost', 'trace_cost'],
  tokens: ['tokens', 'trace_tokens'],
  latency: ['latency_p95'],
  errors: ['error_rate', 'tool_errors'],
}
export type ChartKey = keyof typeof CHART_METRICS

export function incidentsForChart(incidents: readonly Incident[], chart: ChartKey): Incident[] {
  return incidents.filter((i) => i.metrics.some((m) => CHART_METRICS[chart]!.includes(m)))
}

/** Actions a person can take in the incident's current state. */
export function availableActions(i: Incident): {
  acknowledge: boolean
  snooze: boolean
  resolve: boolean
  reopen: boolean
} {
  return {
    acknowledge: i.status === 'open' || i.status === 'snoozed',
    snooze: i.status !== 'resolved',
    resolve: i.status !== 'resolved',
    reopen: i.status !== 'open',
  }
}
