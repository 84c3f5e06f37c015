/**
 * SQL building blocks of the analytics repository over the rollups (`agg_5m`, `agg_1h`; contract in
 * packages/schema/migrations/0020_trace_resolution.sql). Rollups are fed by resolved traces with
 * project price overrides already applied, so every dimension reads the same exact sums: no
 * re-pricing and no raw-span fallback here.
 */
import type { AnalyticsDimension, AnalyticsMetric, AnalyticsStep, TokenKind } from '@sightline/schema'
import { dt64, ident, sql, str, type SqlFragment } from '../sql.js'

export interface RollupRange {
  projectId: string
  /** DateTime64 text (UTC), inclusive. */
  from: string
  /** DateTime64 text (UTC), exclusive. */
  to: string
}

/** agg_1h (same columns, hourly buckets) serves hour-aligned reads; measured in BENCHMARKS.md "Dashboards". */
export type RollupTable = 'agg_5m' | 'agg_1h'
const ROLLUP_TABLES: readonly RollupTable[] = ['agg_5m', 'agg_1h']

/** Rows of one dimension type in a range, straight from a rollup table. */
export function rollupRows(
  range: RollupRange,
  dimension: AnalyticsDimension,
  table: RollupTable = 'agg_5m',
): SqlFragment {
  return sql`(SELECT * FROM ${ident(table, ROLLUP_TABLES)}
    WHERE project_id = ${str(range.projectId)} AND dim_type = ${str(dimension)}
      AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)})`
}

export const STEP_EXPRESSIONS: Record<AnalyticsStep, SqlFragment> = {
  '5m': sql`toStartOfFiveMinutes(bucket)`,
  '1h': sql`toStartOfHour(bucket)`,
  '1d': sql`toStartOfDay(bucket)`,
}

export const STEP_MS: Record<AnalyticsStep, number> = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 }

const TOKEN_EXPRESSIONS: Record<TokenKind, SqlFragment> = {
  total: sql`sum(input_tokens) + sum(output_tokens)`,
  input: sql`sum(input_tokens)`,
  output: sql`sum(output_tokens)`,
  cached_input: sql`sum(cached_input_tokens)`,
  cache_write: sql`sum(cache_write_tokens)`,
  reasoning: sql`sum(reasoning_tokens)`,
}

export const LATENCY_QUANTILES = { latency_p50: 0.5, latency_p95: 0.95, latency_p99: 0.99 } as const
export const isLatency = (metric: AnalyticsMetric): metric is keyof typeof LATENCY_QUANTILES =>
  metric in LATENCY_QUANTILES

/**
 * The metric over grouped rows: a number (NULL for a ratio without calls), or for latency the merged
 * histogram `(buckets, counts)`, turned into a quantile by core's `histogramQuantile` (one definition).
 */
export function metricExpression(metric: AnalyticsMetric, tokenKind: TokenKind): SqlFragment {
  switch (metric) {
    case 'cost':
      return sql`toFloat64(sum(cost_usd))`
    case 'tokens':
      return TOKEN_EXPRESSIONS[tokenKind]
    case 'calls':
      return sql`sum(units)`
    case 'errors':
      return sql`sum(unit_failures)`
    case 'traces':
      return sql`sum(traces)`
    case 'error_rate':
      return sql`sum(unit_failures) / nullIf(sum(units), 0)`
    case 'tool_error_rate':
      return sql`sum(tool_errors) / nullIf(sum(tool_calls), 0)`
    case 'latency_p50':
    case 'latency_p95':
    case 'latency_p99':
      return sql`sumMap(latency)`
  }
}

/** What ranks dimension values for top-N: the metric itself if additive, else the volume behind it. */
export function rankExpression(metric: AnalyticsMetric, tokenKind: TokenKind): SqlFragment {
  if (metric === 'tool_error_rate') return sql`sum(tool_calls)`
  if (metric === 'error_rate' || isLatency(metric)) return sql`sum(units)`
  return metricExpression(metric, tokenKind)
}

/** Ratios and quantiles have no value without calls; everything else is zero-filled. */
export const isAdditive = (metric: AnalyticsMetric) =>
  !(metric === 'error_rate' || metric === 'tool_error_rate' || isLatency(metric))
