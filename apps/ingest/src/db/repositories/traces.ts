import type { SpanRowRead } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, sql, str, type SqlFragment } from '../sql.js'

/**
 * One trace's spans. The spans table is ordered by time first, so a trace is found through the
 * trace-id lookup table (its time bounds), then read from those hours only. What the trace means
 * is resolved from these rows by src/resolve/trace-reader.ts.
 */
export class TraceRepository {
  constructor(private readonly store: Store) {}

  /** Time bounds of a trace from the trace-id lookup table, or undefined if the project has no such trace. */
  async bounds(projectId: string, traceId: string): Promise<{ from: string; to: string; lastIngestedMs: number } | undefined> {
    const rows = await this.store.query<{ from: string; to: string; last_ms: string; n: string }>(sql`
      SELECT toString(min(start_min)) AS from, toString(max(start_max)) AS to,
        toUnixTimestamp64Milli(max(last_ingested)) AS last_ms, count() AS n
      FROM trace_index WHERE project_id = ${str(projectId)} AND trace_id = ${str(traceId)}`)
    const row = rows[0]
    return row && Number(row.n) > 0 ? { from: row.from, to: row.to, lastIngestedMs: Number(row.last_ms) } : undefined
  }

  /** The trace's spans (one copy each: FINAL, bounded to the trace's hours) and when it last received any. */
  async get(projectId: string, traceId: string, view: 'full' | 'skeleton' = 'full'): Promise<{ rows: SpanRowRead[]; lastIngestedMs: number } | undefined> {
    const bounds = await this.bounds(projectId, traceId)
    if (!bounds) return undefined
    const rows = await this.store.query<SpanRowRead>(sql`
      SELECT ${view === 'full' ? FULL_SPAN_COLUMNS : SKELETON_SPAN_COLUMNS}
      FROM spans FINAL WHERE ${traceRange(projectId, traceId, bounds)} ORDER BY start_time, span_id`)
    return { rows, lastIngestedMs: bounds.lastIngestedMs }
  }

  async getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanRowRead | undefined> {
    const bounds = await this.bounds(projectId, traceId)
    if (!bounds) return undefined
    const rows = await this.store.query<SpanRowRead>(sql`
      SELECT ${FULL_SPAN_COLUMNS} FROM spans FINAL
      WHERE ${traceRange(projectId, traceId, bounds)} AND span_id = ${str(spanId)} LIMIT 1`)
    return rows[0]
  }
}

function traceRange(projectId: string, traceId: string, bounds: { from: string; to: string }): SqlFragment {
  return sql`project_id = ${str(projectId)} AND trace_id = ${str(traceId)}
    AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}`
}

const FULL_SPAN_COLUMNS = sql`* EXCEPT (ingested_at)`

/** Everything but message text, payloads and attribute maps: what a timeline of 100k spans needs. */
const SKELETON_SPAN_COLUMNS = sql`* EXCEPT (ingested_at, input, output, tool_arguments, tool_result, attributes, resource_attributes, events, links),
  '' AS input, '' AS output, '' AS tool_arguments, '' AS tool_result,
  map() AS attributes, map() AS resource_attributes, '[]' AS events, '[]' AS links`
