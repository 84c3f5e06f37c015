import type { GetQuarantineResponse } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, join, sql, str, u64 } from '../sql.js'

/** One quarantined span as indexed; every field already checked by the caller (ids hex, reason ours). */
export interface QuarantineEntry {
  projectId: string
  traceId: string
  spanId: string
  reason: string
  segment: string
}

const RECORD_BATCH = 200

/** The index of quarantined spans (migration 0010), read per project by the API. */
export class QuarantineRepository {
  constructor(private readonly store: Store) {}

  async record(entries: readonly QuarantineEntry[]): Promise<void> {
    // Bound parameters travel in the request URL of a ClickHouse server: keep each insert small.
    for (let i = 0; i < entries.length; i += RECORD_BATCH) {
      const values = entries
        .slice(i, i + RECORD_BATCH)
        .map(
          (e) => sql`(${str(e.projectId)}, ${str(e.traceId)}, ${str(e.spanId)}, ${str(e.reason)}, ${str(e.segment)})`,
        )
      await this.store.command(
        sql`INSERT INTO quarantined_spans (project_id, trace_id, span_id, reason,
          segment) VALUES ${join(values, ', ')}`,
      )
    }
  }

  /** `from`/`to` are DateTime64 text in UTC, bounds on when the spans were quarantined. */
  async summary(
    projectId: string,
    from: string,
    to: string,
    limit: number,
  ): Promise<Omit<GetQuarantineResponse, 'from' | 'to'>> {
    const range = sql`project_id = ${str(projectId)} AND quarantined_at >= ${dt64(from)}
      AND quarantined_at <= ${dt64(to)}`
    const [byReason, recent] = await Promise.all([
      this.store.query<{ reason: string; spans: string; last_at: string }>(sql`
        SELECT reason, count() AS spans, max(quarantined_at) AS last_at
        FROM quarantined_spans FINAL WHERE ${range} GROUP BY reason ORDER BY spans DESC, reason`),
      this.store.query<{ trace_id: string; span_id: string; reason: string; quarantined_at: string }>(sql`
        SELECT trace_id, span_id, reason, quarantined_at
        FROM quarantined_spans FINAL WHERE ${range} ORDER BY quarantined_at DESC, span_id LIMIT ${u64(limit)}`),
    ])
    const counts = byReason.map((r) => ({ reason: r.reason, spans: Number(r.spans), lastAt: chToIso(r.last_at) }))
    return {
      total: counts.reduce((n, r) => n + r.spans, 0),
      byReason: counts,
      recent: recent.map((r) => ({
        traceId: r.trace_id,
        spanId: r.span_id,
        reason: r.reason,
        quarantinedAt: chToIso(r.quarantined_at),
      })),
    }
  }
}

const chToIso = (value: string) => `${value.replace(' ', 'T')}Z`
