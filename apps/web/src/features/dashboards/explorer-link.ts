/**
 * Links from a chart point (or an anomaly) to the traces behind it: the explorer, filtered to the
 * dimension value and the point's time bucket. Built with the explorer's own serializer, so the
 * link always means what the explorer will parse.
 */
import type { AnalyticsStep, AnomalyDimension, TraceOutcome } from '@sightline/schema'
import {
  parseExplorerQuery,
  serializeExplorerQuery,
  type ExplorerQuery,
  type ListFilter,
} from '../explorer/explorer-url'
import { STEP_MS } from './dashboard-url'

/**
 * Dimensions the explorer can filter on; 'total', 'trace', the "other" series and the unattributed
 * share ('': no agent, no user, …) have no filter, so their links open the whole bucket.
 */
const LIST_FILTER_OF: Partial<Record<AnomalyDimension, ListFilter>> = {
  model: 'model',
  service: 'service',
  agent: 'agent',
  tool: 'tool',
  release: 'release',
  environment: 'environment',
}

export interface ExplorerLinkTarget {
  dimension: AnomalyDimension
  /** null: no dimension filter (project total, or the pooled "other" series). */
  value: string | null
  from: string
  to: string
  /** Trace outcomes to list (the dashboards' error rate is `failed` traces: the same definition). */
  outcomes?: TraceOutcome[]
  sort?: ExplorerQuery['sort']
}

export function explorerLink(target: ExplorerLinkTarget): string {
  const q: ExplorerQuery = { ...parseExplorerQuery(''), range: 'custom', from: target.from, to: target.to }
  const filter = LIST_FILTER_OF[target.dimension]
  if (target.value !== null && target.value !== '') {
    if (filter) q.lists = { ...q.lists, [filter]: [target.value] }
    else if (target.dimension === 'user') q.userId = target.value
  }
  if (target.outcomes) q.outcomes = [...target.outcomes]
  if (target.sort) q.sort = target.sort
  return `/traces?${serializeExplorerQuery(q)}`
}

/** The half-open bucket [t, t + step) of a chart point, as ISO strings. */
export function bucketRange(t: string, step: AnalyticsStep): { from: string; to: string } {
  const start = Date.parse(t)
  return { from: new Date(start).toISOString(), to: new Date(start + STEP_MS[step]).toISOString() }
}
