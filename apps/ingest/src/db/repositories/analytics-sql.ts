/**
 * SQL building blocks shared by the analytics repository: row sources over `agg_5m` (see the
 * contract in packages/schema/migrations/0005_rollups.sql), query-time re-pricing of rollups with
 * project price overrides, and the raw-span fallback.
 *
 * Every source yields rows `(dim_value, bucket, <agg_5m columns>)` so that one outer query
 * (sum / quantilesTDigestMerge after GROUP BY) serves rollups and raw spans alike.
 */
import type { AnalyticsDimension, AnalyticsMetric, AnalyticsStep, TokenKind } from '@sightline/schema'
import { dt64, ident, sql, str, type SqlFragment } from '../sql.js'
import { pricedSpans } from './priced-spans.js'

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
export function rollupRows(range: RollupRange, dimension: AnalyticsDimension, table: RollupTable = 'agg_5m'): SqlFragment {
  return sql`(SELECT * FROM ${ident(table, ROLLUP_TABLES)}
    WHERE project_id = ${str(range.projectId)} AND dim_type = ${str(dimension)}
      AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)})`
}

/**
 * `dim_type = 'model'` rows merged per (model, bucket), with the cost and unpriced counts the raw
 * path would give under the project's price overrides: the override in force at the bucket start
 * (ASOF on effective_from) re-prices the tokens of the calls whose cost was not reported, exactly
 * as priced-spans.ts does per span. `cost_delta` is what re-pricing added, for the project total.
 * An override whose effective_from is not on a 5-minute boundary takes effect from the next bucket.
 */
export function repricedModelRows(range: RollupRange): SqlFragment {
  return sql`(SELECT
      a.dim_value AS dim_value, a.bucket AS bucket,
      if(mp.model != '', a.c - a.rp_c + toDecimal128((
          toDecimal128(a.rp_unc, 0) * mp.input_per_mtok
          + toDecimal128(a.rp_cached, 0) * ifNull(mp.cache_read_per_mtok, mp.input_per_mtok)
          + toDecimal128(a.rp_cw, 0) * ifNull(mp.cache_write_per_mtok, mp.input_per_mtok)
          + toDecimal128(a.rp_out, 0) * mp.output_per_mtok) / 1000000, 10), a.c) AS cost_usd,
      cost_usd - a.c AS cost_delta,
      if(mp.model != '', 0, a.unp) AS unpriced_calls,
      if(mp.model != '', 0, a.unp_in) AS unpriced_input_tokens,
      if(mp.model != '', 0, a.unp_out) AS unpriced_output_tokens,
      a.tin AS input_tokens, a.tout AS output_tokens, a.tcached AS cached_input_tokens,
      a.tcw AS cache_write_tokens, a.treason AS reasoning_tokens,
      a.n_calls AS calls, a.n_errors AS errors, a.n_traces AS traces
    FROM (
      SELECT dim_value, bucket, toDateTime64(bucket, 3, 'UTC') AS bucket64,
        sum(cost_usd) AS c, sum(rp_cost_usd) AS rp_c, sum(rp_uncached_input_tokens) AS rp_unc,
        sum(rp_cached_input_tokens) AS rp_cached, sum(rp_cache_write_tokens) AS rp_cw, sum(rp_output_tokens) AS rp_out,
        sum(unpriced_calls) AS unp, sum(unpriced_input_tokens) AS unp_in, sum(unpriced_output_tokens) AS unp_out,
        sum(input_tokens) AS tin, sum(output_tokens) AS tout, sum(cached_input_tokens) AS tcached,
        sum(cache_write_tokens) AS tcw, sum(reasoning_tokens) AS treason,
        sum(calls) AS n_calls, sum(errors) AS n_errors, sum(traces) AS n_traces
      FROM agg_5m
      WHERE project_id = ${str(range.projectId)} AND dim_type = 'model'
        AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)}
      GROUP BY dim_value, bucket
    ) AS a
    ASOF LEFT JOIN (
      SELECT model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok
      FROM model_prices FINAL
      WHERE project_id = ${str(range.projectId)} AND NOT is_deleted
    ) AS mp ON a.dim_value = mp.model AND a.bucket64 >= mp.effective_from)`
}

/** Model rows with override re-pricing when the project has overrides; straight rollup rows otherwise. */
export function modelRows(range: RollupRange, hasOverrides: boolean, table: RollupTable = 'agg_5m'): SqlFragment {
  if (hasOverrides) return repricedModelRows(range)
  return sql`(SELECT *, toDecimal128(0, 10) AS cost_delta FROM ${ident(table, ROLLUP_TABLES)}
    WHERE project_id = ${str(range.projectId)} AND dim_type = 'model'
      AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)})`
}

/** Project-total cost rows with the re-pricing deltas of every model added (same bucket). */
export function repricedTotalCostRows(range: RollupRange): SqlFragment {
  return sql`(SELECT '' AS dim_value, bucket, cost_usd FROM agg_5m
      WHERE project_id = ${str(range.projectId)} AND dim_type = 'total'
        AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)}
    UNION ALL
    SELECT '' AS dim_value, bucket, cost_delta AS cost_usd FROM ${repricedModelRows(range)})`
}

/** The dimension value of a raw span, matching the MV's ARRAY JOIN (empty = not counted). */
const RAW_DIMENSION: Record<Exclude<AnalyticsDimension, 'total' | 'model'>, SqlFragment> = {
  agent: sql`toString(agent_name)`,
  tool: sql`if(kind = 'tool', toString(tool_name), '')`,
  user: sql`user_id`,
  release: sql`toString(service_version)`,
  environment: sql`toString(environment)`,
}

/** The dimension's subject spans in the raw table (see the rollup contract). */
const RAW_SUBJECT: Record<Exclude<AnalyticsDimension, 'total' | 'model'>, SqlFragment> = {
  agent: sql`kind = 'agent'`,
  tool: sql`true`,
  user: sql`parent_span_id = ''`,
  release: sql`parent_span_id = ''`,
  environment: sql`parent_span_id = ''`,
}

/**
 * Cost (and counts) per (dimension value, 5-minute bucket) from raw spans with overrides applied:
 * the fallback for cost by agent/tool/user/release/environment, whose rollup rows do not know which
 * model each dollar came from.
 */
export function rawCostRows(range: RollupRange, dimension: Exclude<AnalyticsDimension, 'total' | 'model'>, hasOverrides: boolean): SqlFragment {
  const conditions = sql`start_time >= ${dt64(range.from)} AND start_time < ${dt64(range.to)}`
  return sql`(SELECT ${RAW_DIMENSION[dimension]} AS dim_value, toStartOfFiveMinutes(start_time) AS bucket,
      ifNull(eff_cost, toDecimal64(0, 10)) AS cost_usd,
      input_tokens, output_tokens,
      toUInt64(${RAW_SUBJECT[dimension]}) AS calls,
      toUInt64(${RAW_SUBJECT[dimension]} AND status = 'error') AS errors,
      toUInt64(parent_span_id = '') AS traces
    FROM ${pricedSpans(range.projectId, conditions, hasOverrides)}
    WHERE dim_value != '')`
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

const LATENCY_INDEX = { latency_p50: 1, latency_p95: 2, latency_p99: 3 } as const

/** The metric over grouped rows (value may be NULL for ratios and quantiles without calls). */
export function metricExpression(metric: AnalyticsMetric, tokenKind: TokenKind): SqlFragment {
  switch (metric) {
    case 'cost':
      return sql`toFloat64(sum(cost_usd))`
    case 'tokens':
      return TOKEN_EXPRESSIONS[tokenKind]
    case 'calls':
      return sql`sum(calls)`
    case 'errors':
      return sql`sum(errors)`
    case 'traces':
      return sql`sum(traces)`
    case 'error_rate':
      return sql`sum(errors) / nullIf(sum(calls), 0)`
    case 'tool_error_rate':
      return sql`sum(tool_errors) / nullIf(sum(tool_calls), 0)`
    case 'latency_p50':
    case 'latency_p95':
    case 'latency_p99':
      return LATENCY_FRAGMENTS[metric]
  }
}

const LATENCY_FRAGMENTS: Record<keyof typeof LATENCY_INDEX, SqlFragment> = {
  latency_p50: sql`if(sum(calls) = 0, NULL, quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_ms)[1])`,
  latency_p95: sql`if(sum(calls) = 0, NULL, quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_ms)[2])`,
  latency_p99: sql`if(sum(calls) = 0, NULL, quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_ms)[3])`,
}

/** What ranks dimension values for top-N: the metric itself if additive, else the volume behind it. */
export function rankExpression(metric: AnalyticsMetric, tokenKind: TokenKind): SqlFragment {
  if (metric === 'tool_error_rate') return sql`sum(tool_calls)`
  if (metric === 'error_rate' || metric in LATENCY_INDEX) return sql`sum(calls)`
  return metricExpression(metric, tokenKind)
}

/** Ratios and quantiles have no value without calls; everything else is zero-filled. */
export const isAdditive = (metric: AnalyticsMetric) =>
  !(metric === 'error_rate' || metric === 'tool_error_rate' || metric in LATENCY_INDEX)
