import type { AnomalyDimension, AnomalyKind, AnomalyMetric, IncidentFamily } from '@sightline/schema'
import type { Store } from '../../db/client.js'
import { affectedTraces, breakdown, minuteTotals, type TraceOrder } from '../../db/repositories/detection.js'
import type { StoredIncident } from '../../db/repositories/incidents.js'
import { explainIncident } from './explain.js'
import { isSeriesFamily, mergeScope } from './grouping.js'
import type { IncidentRules } from './incident-manager.js'
import { severityOf } from './severity.js'

/** One finding of an incident, as the manager keeps it. */
export interface Member {
  id: string
  family: IncidentFamily
  kind: AnomalyKind
  dimension: AnomalyDimension
  value: string
  metric: AnomalyMetric
  observed: number
  expected: number
  score: number
  summary: string
  traceIds: string[]
  startedAtMs: number
  open: boolean
}

const ORDER: Record<IncidentFamily, TraceOrder> = {
  cost: 'cost',
  latency: 'duration',
  errors: 'failed',
  release_latency: 'duration',
  loop: 'cost',
  tool_errors: 'failed',
  unfinished: 'duration',
  outlier: 'cost',
  score_drop: 'failed',
}

/**
 * The finding that speaks for the incident: of its own family, the project total if there is one
 * (it is what the explanation's ratio is about), else the largest score.
 */
function leadOf(incident: StoredIncident, members: readonly Member[]): Member | undefined {
  const own = members.filter((m) => m.family === incident.family)
  const pool = own.length > 0 ? own : members
  return pool.find((m) => m.dimension === 'total') ?? [...pool].sort((a, b) => b.score - a.score)[0]
}

/**
 * Recomputes what an incident says about itself from its findings and the rollups: lead finding,
 * explanation and driver (series: breakdown of the window since onset against the hour before),
 * the traces behind it and its severity.
 */
export async function refreshIncident(
  store: Store,
  incident: StoredIncident,
  members: readonly Member[],
  nowMs: number,
  rules: IncidentRules,
): Promise<void> {
  const lead = leadOf(incident, members)
  if (!lead) return
  Object.assign(incident, {
    kind: lead.kind,
    dimension: lead.dimension,
    value: lead.value,
    metric: lead.metric,
    observed: lead.observed,
    expected: lead.expected,
  })
  const firstSeenMs = Date.parse(incident.firstSeenAt)
  const family = incident.family
  let explained
  if (isSeriesFamily(family)) {
    const windowFromMs = Math.min(
      firstSeenMs,
      ...members.filter((m) => isSeriesFamily(m.family)).map((m) => m.startedAtMs),
    )
    const [rows, baselineMinutes] = await Promise.all([
      breakdown(
        store,
        incident.projectId,
        ['total', 'model', 'agent', 'tool'],
        windowFromMs - rules.baselineMs,
        windowFromMs,
        nowMs,
      ),
      minuteTotals(store, incident.projectId, windowFromMs - rules.baselineMs, windowFromMs),
    ])
    explained = explainIncident({
      family,
      families: incident.families,
      lead,
      firstSeenMs,
      traceCount: incident.traceCount,
      scope: incident.scope,
      breakdown: { rows, windowFromMs, windowToMs: nowMs, baselineMinutes },
    })
    incident.scope = mergeScope(incident.scope, { agent: '', tool: '', model: '', release: '', ...explained.driver })
    const traces = await affectedTraces(
      store,
      incident.projectId,
      seriesFilter(incident, lead),
      ORDER[family],
      windowFromMs,
      nowMs,
    )
    Object.assign(incident, { traceCount: traces.count, traceIds: traces.traceIds })
  } else if (family === 'release_latency') {
    const traces = await affectedTraces(
      store,
      incident.projectId,
      { scope: [{ dimType: 'release', value: lead.value }] },
      'duration',
      firstSeenMs - rules.baselineMs,
      nowMs,
    )
    Object.assign(incident, { traceCount: traces.count, traceIds: traces.traceIds })
  }
  const peak = Math.max(...members.filter((m) => m.family === family).map((m) => m.observed))
  explained ??= explainIncident({
    family,
    families: incident.families,
    lead,
    firstSeenMs,
    traceCount: incident.traceCount,
    scope: incident.scope,
    peak,
  })
  const { severity, score } = severityOf(
    family,
    isSeriesFamily(family) || family === 'release_latency' ? lead.observed : peak,
    lead.expected,
    incident.traceCount,
    rules.severity,
  )
  Object.assign(incident, {
    title: explained.title,
    explanation: explained.explanation,
    severity,
    severityScore: score,
  })
}

/**
 * Which traces a series incident is about: its driver when the explanation found one, else its lead's dimension value.
 */
function seriesFilter(incident: StoredIncident, lead: Member) {
  const scope: Array<{ dimType: string; value: string }> = []
  if (incident.family === 'cost' && incident.scope.model) scope.push({ dimType: 'model', value: incident.scope.model })
  else if (incident.family !== 'cost' && incident.scope.tool)
    scope.push({ dimType: 'tool', value: incident.scope.tool })
  else if (incident.scope.agent) scope.push({ dimType: 'agent', value: incident.scope.agent })
  else if (lead.dimension !== 'total') scope.push({ dimType: lead.dimension, value: lead.value })
  return { scope, withErrors: incident.family === 'errors' }
}
