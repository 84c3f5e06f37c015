import type { Store } from '../client.js'
import { chTimeSeconds, sql, str, u64, type SqlFragment } from '../sql.js'
import { OTHER_USERS } from '../../detect/config.js'
import type { SeriesMetric } from '../../detect/rules.js'

/** How a resolved trace shows a rollup dimension's value (see packages/core contributions). */
const DIMENSION_FILTERS: Record<string, (value: string) => SqlFragment> = {
  model: (v) => sql`has(models, ${str(v)})`,
  agent: (v) => sql`has(agents, ${str(v)})`,
  tool: (v) => sql`has(tools, ${str(v)})`,
  user: (v) => sql`user_id = ${str(v)}`,
  service: (v) => sql`has(services, ${str(v)})`,
  release: (v) => sql`has(releases, ${str(v)})`,
  environment: (v) => sql`has(environments, ${str(v)})`,
}

const ORDER_BY: Record<SeriesMetric, SqlFragment> = {
  cost: sql`toFloat64(ifNull(cost_usd, 0))`,
  tokens: sql`input_tokens + output_tokens`,
  latency_p95: sql`duration_ms`,
  error_rate: sql`outcome = 'failed'`,
}

/** The production traces that contributed most to a series anomaly in [fromMs, toMs]: the "why" behind it. */
export async function sampleTraces(
  store: Store,
  projectId: string,
  dimType: string,
  dimValue: string,
  metric: SeriesMetric,
  fromMs: number,
  toMs: number,
  limit = 10,
): Promise<string[]> {
  const byValue = DIMENSION_FILTERS[dimType]
  const filter = byValue && !(dimType === 'user' && dimValue === OTHER_USERS) ? sql`AND ${byValue(dimValue)}` : sql``
  const rows = await store.query<{ trace_id: string }>(sql`
    SELECT trace_id FROM traces FINAL
    WHERE project_id = ${str(projectId)} AND NOT is_regression_run
      AND start_time >= toDateTime64(${str(chTimeSeconds(fromMs))}, 3,
        'UTC') AND start_time <= toDateTime64(${str(chTimeSeconds(toMs))}, 3, 'UTC') ${filter}
    ORDER BY ${ORDER_BY[metric]} DESC, trace_id LIMIT ${u64(limit)}`)
  return rows.map((r) => r.trace_id)
}
