import type { Anomaly, ListAnomaliesQuery } from '@sightline/schema'
import type { Store } from '../client.js'
import { chTime, f64, sql, str, strArray, u64, where, type SqlFragment } from '../sql.js'

/** Persisted episodes (`anomalies`, ReplacingMergeTree by version): every change rewrites the row. */
export interface StoredAnomaly extends Anomaly {
  projectId: string
  /** The series detector that found it ('' for trace and release findings), so a restart resumes it there. */
  tier: string
}

interface AnomalyRow {
  project_id: string
  id: string
  kind: Anomaly['kind']
  dimension: Anomaly['dimension']
  value: string
  metric: Anomaly['metric']
  started_at: string
  last_seen_at: string
  ended_at: string | null
  severity: Anomaly['severity']
  observed: number
  expected: number
  score: number
  trace_ids: string[]
  status: Anomaly['status']
  summary: string
  incident_id: string
  tier: string
}

/** DateTime64 columns come back as `YYYY-MM-DD hh:mm:ss.sss` text in JSONEachRow. */
const COLUMNS = sql`project_id, id, kind, dimension, value, metric, started_at, last_seen_at, ended_at, severity,
  observed, expected, score, trace_ids, status, summary, incident_id, tier`

const chToIso = (text: string) => `${text.replace(' ', 'T')}Z`
const finite = (value: number) => (Number.isFinite(value) ? value : 0)

export class AnomalyRepository {
  private lastVersion = 0

  constructor(private readonly store: Store) {}

  async upsert(anomaly: StoredAnomaly): Promise<void> {
    // Versions must grow even when two writes share a millisecond.
    this.lastVersion = Math.max(this.lastVersion + 1, Date.now() * 1000)
    const ended = anomaly.endedAt === null ? sql`NULL` : sql`toDateTime64(${str(chTime(anomaly.endedAt))}, 3, 'UTC')`
    await this.store.command(sql`
      INSERT INTO anomalies (${COLUMNS}, version)
      VALUES (${str(anomaly.projectId)}, ${str(anomaly.id)}, ${str(anomaly.kind)}, ${str(anomaly.dimension)},
        ${str(anomaly.value)}, ${str(anomaly.metric)},
        toDateTime64(${str(chTime(anomaly.startedAt))}, 3, 'UTC'), toDateTime64(${str(chTime(anomaly.lastSeenAt))}, 3,
          'UTC'), ${ended},
        ${str(anomaly.severity)}, ${f64(finite(anomaly.observed))}, ${f64(finite(anomaly.expected))},
          ${f64(finite(anomaly.score))},
        ${strArray(anomaly.traceIds)}, ${str(anomaly.status)}, ${str(anomaly.summary)}, ${str(anomaly.incidentId)},
          ${str(anomaly.tier)}, ${u64(this.lastVersion)})`)
  }

  async get(projectId: string, id: string): Promise<Anomaly | undefined> {
    const rows = await this.store.query<AnomalyRow>(
      sql`SELECT ${COLUMNS} FROM anomalies FINAL WHERE project_id = ${str(projectId)} AND id = ${str(id)}`,
    )
    return rows[0] ? rowToAnomaly(rows[0]) : undefined
  }

  /** Anomalies active at some point in [from, to], newest first. */
  async list(projectId: string, query: ListAnomaliesQuery & { from: string; to: string }): Promise<Anomaly[]> {
    const conditions: SqlFragment[] = [
      sql`project_id = ${str(projectId)}`,
      sql`started_at <= toDateTime64(${str(chTime(query.to))}, 3, 'UTC')`,
      sql`(ended_at IS NULL OR ended_at >= toDateTime64(${str(chTime(query.from))}, 3, 'UTC'))`,
    ]
    if (query.kind?.length) conditions.push(sql`has(${strArray(query.kind)}, kind)`)
    if (query.status) conditions.push(sql`status = ${str(query.status)}`)
    if (query.dimension) conditions.push(sql`dimension = ${str(query.dimension)}`)
    if (query.value !== undefined) conditions.push(sql`value = ${str(query.value)}`)
    if (query.metric) conditions.push(sql`metric = ${str(query.metric)}`)
    const rows = await this.store.query<AnomalyRow>(
      sql`SELECT ${COLUMNS} FROM anomalies FINAL ${where(conditions)} ORDER BY started_at DESC,
        id LIMIT ${u64(query.limit)}`,
    )
    return rows.map(rowToAnomaly)
  }

  /** The findings grouped into an incident, newest first. */
  async listByIncident(projectId: string, incidentId: string, limit = 200): Promise<Anomaly[]> {
    const rows = await this.store.query<AnomalyRow>(
      sql`SELECT ${COLUMNS} FROM anomalies FINAL WHERE project_id = ${str(projectId)}
        AND incident_id = ${str(incidentId)} ORDER BY started_at DESC, id LIMIT ${u64(limit)}`,
    )
    return rows.map(rowToAnomaly)
  }

  /** Open episodes of every project, to resume alert state after a restart. */
  async listOpen(): Promise<StoredAnomaly[]> {
    const rows = await this.store.query<AnomalyRow>(sql`SELECT ${COLUMNS} FROM anomalies FINAL WHERE status = 'open'`)
    return rows.map((row) => ({ ...rowToAnomaly(row), projectId: row.project_id, tier: row.tier }))
  }
}

function rowToAnomaly(row: AnomalyRow): Anomaly {
  return {
    id: row.id,
    kind: row.kind,
    dimension: row.dimension,
    value: row.value,
    metric: row.metric,
    status: row.status,
    severity: row.severity,
    startedAt: chToIso(row.started_at),
    lastSeenAt: chToIso(row.last_seen_at),
    endedAt: row.ended_at === null ? null : chToIso(row.ended_at),
    observed: Number(row.observed),
    expected: Number(row.expected),
    score: Number(row.score),
    traceIds: row.trace_ids,
    summary: row.summary,
    incidentId: row.incident_id,
  }
}
