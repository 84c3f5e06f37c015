import type { Store } from '../db/client.js'
import { ident, sql, str, u64, type SqlFragment } from '../db/sql.js'
import { OTHER_USERS } from './config.js'
import type { SeriesMetric } from './rules.js'
import { chDateTime } from './snapshot.js'

/** The spans column behind each agg_5m dimension (see 0005_rollups.sql). */
const DIMENSION_COLUMNS: Record<string, string> = {
  model: 'model',
  agent: 'agent_name',
  tool: 'tool_name',
  user: 'user_id',
  release: 'service_version',
  environment: 'environment',
}
const ALLOWED = Object.values(DIMENSION_COLUMNS)

const ORDER_BY: Record<SeriesMetric, SqlFragment> = {
  cost: sql`sum(ifNull(cost_usd, 0))`,
  tokens: sql`sum(input_tokens + output_tokens)`,
  latency_p95: sql`max(duration_ms)`,
  error_rate: sql`countIf(status = 'error')`,
}

/** The traces that contributed most to a series anomaly in [fromMs, toMs]: the "why" behind it. */
export async function sampleTraces(store: Store, projectId: string, dimType: string, dimValue: string, metric: SeriesMetric, fromMs: number, toMs: number, limit = 10): Promise<string[]> {
  const column = DIMENSION_COLUMNS[dimType]
  const filter = column && !(dimType === 'user' && dimValue === OTHER_USERS) ? sql`AND ${ident(column, ALLOWED)} = ${str(dimValue)}` : sql``
  const rows = await store.query<{ trace_id: string }>(sql`
    SELECT trace_id FROM spans
    WHERE project_id = ${str(projectId)} AND start_time >= toDateTime64(${str(chDateTime(fromMs))}, 3, 'UTC')
      AND start_time <= toDateTime64(${str(chDateTime(toMs))}, 3, 'UTC') ${filter}
    GROUP BY trace_id ORDER BY ${ORDER_BY[metric]} DESC, trace_id LIMIT ${u64(limit)}`)
  return rows.map((r) => r.trace_id)
}
