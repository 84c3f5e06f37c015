import type { AnomalyMetric, Incident, IncidentSeverity, IncidentStatus, ListIncidentsQuery } from '@sightline/schema'
import type { Store } from '../client.js'
import { chTime, f64, sql, str, strArray, u64, where, type SqlFragment } from '../sql.js'

/**
 * Incidents (`incidents`, ReplacingMergeTree by version): every change rewrites the whole row. The
 * detector's incident manager is the only writer (people's actions go through it too), so versions
 * come from one counter in one process.
 */
export interface StoredIncident extends Incident {
  projectId: string
  groupKey: string
  /** The severity last announced ('' = never alerted). */
  alertedSeverity: IncidentSeverity | ''
}

interface IncidentRow {
  project_id: string
  id: string
  group_key: string
  family: Incident['family']
  families: Incident['families']
  title: string
  explanation: string
  status: IncidentStatus
  resolution: Incident['resolution']
  signal: Incident['signal']
  severity: IncidentSeverity
  severity_score: number
  scope_agent: string
  scope_tool: string
  scope_model: string
  scope_release: string
  kind: Incident['kind']
  dimension: Incident['dimension']
  value: string
  metric: AnomalyMetric
  metrics: AnomalyMetric[]
  observed: number
  expected: number
  first_seen_at: string
  opened_at: string
  last_seen_at: string
  recovered_at: string | null
  resolved_at: string | null
  acknowledged_at: string | null
  snoozed_until: string | null
  findings: string | number
  trace_count: string | number
  trace_ids: string[]
  alerted_severity: IncidentSeverity | ''
}

const COLUMNS = sql`project_id, id, group_key, family, families, title, explanation, status, resolution, signal,
  severity, severity_score,
  scope_agent, scope_tool, scope_model, scope_release, kind, dimension, value, metric, metrics, observed, expected,
  first_seen_at, opened_at, last_seen_at, recovered_at, resolved_at, acknowledged_at, snoozed_until, findings,
    trace_count, trace_ids, alerted_severity`

const chToIso = (text: string) => `${text.replace(' ', 'T')}Z`
const time = (iso: string) => sql`toDateTime64(${str(chTime(iso))}, 3, 'UTC')`
const maybeTime = (iso: string | null) => (iso === null ? sql`NULL` : time(iso))
const finite = (value: number) => (Number.isFinite(value) ? value : 0)

/** Open first, then acknowledged, snoozed, resolved; within each, critical first, then the most recent. */
const ORDER = sql`indexOf(['open', 'acknowledged', 'snoozed', 'resolved'], status), indexOf(['critical', 'warning',
  'info'], severity), last_seen_at DESC, id`

export class IncidentRepository {
  private lastVersion = 0

  constructor(private readonly store: Store) {}

  async upsert(incident: StoredIncident): Promise<void> {
    // Versions grow even when two writes share a millisecond (an action right after an evaluation).
    this.lastVersion = Math.max(this.lastVersion + 1, Date.now() * 1000)
    const i = incident
    await this.store.command(sql`
      INSERT INTO incidents (${COLUMNS}, version) VALUES (
        ${str(i.projectId)}, ${str(i.id)}, ${str(i.groupKey)}, ${str(i.family)}, ${strArray([...i.families])},
          ${str(i.title)}, ${str(i.explanation)},
        ${str(i.status)}, ${str(i.resolution)}, ${str(i.signal)}, ${str(i.severity)}, ${f64(finite(i.severityScore))},
        ${str(i.scope.agent)}, ${str(i.scope.tool)}, ${str(i.scope.model)}, ${str(i.scope.release)},
        ${str(i.kind)}, ${str(i.dimension)}, ${str(i.value)}, ${str(i.metric)}, ${strArray([...i.metrics])},
          ${f64(finite(i.observed))}, ${f64(finite(i.expected))},
        ${time(i.firstSeenAt)}, ${time(i.openedAt)}, ${time(i.lastSeenAt)}, ${maybeTime(i.recoveredAt)},
          ${maybeTime(i.resolvedAt)},
        ${maybeTime(i.acknowledgedAt)}, ${maybeTime(i.snoozedUntil)}, ${u64(i.findings)}, ${u64(i.traceCount)},
          ${strArray(i.traceIds)},
        ${str(i.alertedSeverity)}, ${u64(this.lastVersion)})`)
  }

  async get(projectId: string, id: string): Promise<StoredIncident | undefined> {
    const rows = await this.store.query<IncidentRow>(
      sql`SELECT ${COLUMNS} FROM incidents FINAL WHERE project_id = ${str(projectId)} AND id = ${str(id)}`,
    )
    return rows[0] ? fromRow(rows[0]) : undefined
  }

  /** Incidents active at some point in [from, to], in feed order. */
  async list(projectId: string, query: ListIncidentsQuery & { from: string; to: string }): Promise<Incident[]> {
    const conditions: SqlFragment[] = [
      sql`project_id = ${str(projectId)}`,
      sql`first_seen_at <= ${time(query.to)}`,
      sql`(resolved_at IS NULL OR resolved_at >= ${time(query.from)})`,
    ]
    if (query.status?.length) conditions.push(sql`has(${strArray(query.status)}, status)`)
    if (query.metric) conditions.push(sql`has(metrics, ${str(query.metric)})`)
    const rows = await this.store.query<IncidentRow>(
      sql`SELECT ${COLUMNS} FROM incidents FINAL ${where(conditions)} ORDER BY ${ORDER} LIMIT ${u64(query.limit)}`,
    )
    return rows.map((row) => toPublic(fromRow(row)))
  }

  /** Incidents of every project that are not resolved: the detector's state after a restart. */
  async listUnresolved(): Promise<StoredIncident[]> {
    const rows = await this.store.query<IncidentRow>(
      sql`SELECT ${COLUMNS} FROM incidents FINAL WHERE status != 'resolved'`,
    )
    return rows.map(fromRow)
  }
}

export function toPublic(incident: StoredIncident): Incident {
  const { projectId: _p, groupKey: _g, alertedSeverity: _a, ...rest } = incident
  return rest
}

function fromRow(row: IncidentRow): StoredIncident {
  const opt = (text: string | null) => (text === null ? null : chToIso(text))
  return {
    projectId: row.project_id,
    id: row.id,
    groupKey: row.group_key,
    family: row.family,
    families: row.families,
    title: row.title,
    explanation: row.explanation,
    status: row.status,
    resolution: row.resolution,
    signal: row.signal,
    severity: row.severity,
    severityScore: Number(row.severity_score),
    scope: { agent: row.scope_agent, tool: row.scope_tool, model: row.scope_model, release: row.scope_release },
    kind: row.kind,
    dimension: row.dimension,
    value: row.value,
    metric: row.metric,
    metrics: row.metrics,
    observed: Number(row.observed),
    expected: Number(row.expected),
    firstSeenAt: chToIso(row.first_seen_at),
    openedAt: chToIso(row.opened_at),
    lastSeenAt: chToIso(row.last_seen_at),
    recoveredAt: opt(row.recovered_at),
    resolvedAt: opt(row.resolved_at),
    acknowledgedAt: opt(row.acknowledged_at),
    snoozedUntil: opt(row.snoozed_until),
    findings: Number(row.findings),
    traceCount: Number(row.trace_count),
    traceIds: row.trace_ids,
    alerted: row.alerted_severity !== '',
    alertedSeverity: row.alerted_severity,
  }
}
