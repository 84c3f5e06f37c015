/**
 * What the anomaly detector reads beyond its seasonal snapshots (series-snapshots.ts): the minute
 * series of young series (cold start, from `agg_1m`), the breakdown that names an incident's
 * driver, and the traces behind an incident. Resolved data only (`traces`, `agg_5m`), production traffic only
 * (regression replays have no contributions and are filtered where traces are read), every query
 * scoped to its project(s).
 */
import type { Histogram } from '@sightline/core'
import type { Store } from '../client.js'
import { chTime, chTimeSeconds, sql, str, strArray, u64, type SqlFragment } from '../sql.js'

const at = (ms: number) => sql`toDateTime64(${str(chTime(ms))}, 3, 'UTC')`
const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value))

export interface MinuteSeriesRow {
  projectId: string
  dimType: string
  dimValue: string
  minuteMs: number
  firstMs: number
  cost: number
  costSq: number
  tokens: number
  tokensSq: number
  units: number
  failures: number
  /** Traces the series' value took part in, and those in which it failed at least once. */
  traces: number
  failedTraces: number
  latency: Histogram
}

/** A series as `project NUL dim_type NUL dim_value`. */
export const seriesKey = (projectId: string, dimType: string, dimValue: string) =>
  `${projectId}\u0000${dimType}\u0000${dimValue}`

/**
 * Per-minute sums of the given series over [fromMs, toMs), from the minute rollups (`agg_1m`, fed
 * from each trace's contributions: sums of squares and failing traces included). Bounded by time
 * and by project; only the listed series are kept; rows whose sums are all 0 are retracted leftovers.
 */
export async function minuteSeries(
  store: Store,
  keys: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<MinuteSeriesRow[]> {
  if (keys.length === 0) return []
  const projects = [...new Set(keys.map((k) => k.slice(0, k.indexOf('\u0000'))))]
  const minute = (ms: number) => sql`toDateTime(${str(chTimeSeconds(ms))}, 'UTC')`
  const rows = await store.query<Record<string, unknown>>(sql`
    SELECT project_id, dim_type, dim_value, toUnixTimestamp(minute) * 1000 AS minute_ms,
      toUnixTimestamp64Milli(min(first_start)) AS first_ms,
      sum(cost_usd) AS cost, sum(cost_sq) AS cost_sq, sum(tokens) AS tokens, sum(tokens_sq) AS tokens_sq,
      sum(units) AS units, sum(unit_failures) AS failures, sum(traces_with) AS traces_with,
        sum(traces_failed) AS traces_failed,
      sumMap(latency) AS lat
    FROM agg_1m
    WHERE has(${strArray(projects)}, project_id) AND minute >= ${minute(fromMs)} AND minute < ${minute(toMs)}
      AND has(${strArray([...keys])}, concat(project_id, char(0), dim_type, char(0), dim_value))
    GROUP BY project_id, dim_type, dim_value, minute
    HAVING traces_with != 0 OR cost != 0`)
  return rows.map((r) => {
    const [buckets, counts] = (r['lat'] as [number[], number[]] | undefined) ?? [[], []]
    return {
      projectId: String(r['project_id']),
      dimType: String(r['dim_type']),
      dimValue: String(r['dim_value']),
      minuteMs: num(r['minute_ms']),
      firstMs: num(r['first_ms']),
      cost: num(r['cost']),
      costSq: num(r['cost_sq']),
      tokens: num(r['tokens']),
      tokensSq: num(r['tokens_sq']),
      units: num(r['units']),
      failures: num(r['failures']),
      traces: num(r['traces_with']),
      failedTraces: num(r['traces_failed']),
      latency: { buckets: buckets.map(Number), counts: counts.map(Number) },
    }
  })
}

export interface BreakdownSide {
  cost: number
  tokens: number
  traces: number
  units: number
  failures: number
  latency: Histogram
}

export interface BreakdownRow {
  dimType: string
  dimValue: string
  /** First trace of the baseline period (ms; 0 when it has none): how much baseline there really is. */
  baselineFirstMs: number
  /** Sums over the window and over the baseline period before it. */
  window: BreakdownSide
  baseline: BreakdownSide
}

/**
 * Per dimension value, what it did in [windowFrom, windowTo] and in [baselineFrom, windowFrom): what
 * an incident's explanation names its driver from. Read from the traces' contributions (minute
 * precision: a young install has no 5-minute bucket before its first incident), bounded by time.
 */
export async function breakdown(
  store: Store,
  projectId: string,
  dimTypes: readonly string[],
  baselineFromMs: number,
  windowFromMs: number,
  windowToMs: number,
): Promise<BreakdownRow[]> {
  const inWindow = sql`start_time >= ${at(windowFromMs)}`
  const side = (cond: SqlFragment) => sql`tuple(
      sumIf(toFloat64(c.cost_usd), ${cond}), sumIf(c.input_tokens + c.output_tokens, ${cond}), sumIf(c.traces, ${cond}),
      sumIf(c.units, ${cond}), sumIf(c.unit_failures, ${cond}), sumMapIf(c.lat_buckets, c.lat_counts, ${cond}))`
  const rows = await store.query<{
    dim_type: string
    dim_value: string
    w: unknown[]
    b: unknown[]
    b_first: string
  }>(sql`
    SELECT c.dim_type AS dim_type, c.dim_value AS dim_value, ${side(inWindow)} AS w,
      ${side(sql`NOT (${inWindow})`)} AS b,
      toUnixTimestamp64Milli(minIf(start_time, NOT (${inWindow}))) AS b_first
    FROM traces FINAL ARRAY JOIN contributions AS c
    WHERE project_id = ${str(projectId)} AND sign = 1 AND NOT is_regression_run AND has(${strArray([...dimTypes])},
      c.dim_type)
      AND start_time >= ${at(baselineFromMs)} AND start_time <= ${at(windowToMs)}
    GROUP BY dim_type, dim_value`)
  const read = (t: unknown[]): BreakdownSide => {
    const [buckets, counts] = (t[5] as [number[], number[]] | undefined) ?? [[], []]
    return {
      cost: num(t[0]),
      tokens: num(t[1]),
      traces: num(t[2]),
      units: num(t[3]),
      failures: num(t[4]),
      latency: { buckets: buckets.map(Number), counts: counts.map(Number) },
    }
  }
  return rows.map((r) => ({
    dimType: r.dim_type,
    dimValue: r.dim_value,
    baselineFirstMs: read(r.b).traces + read(r.b).units > 0 ? num(r.b_first) : 0,
    window: read(r.w),
    baseline: read(r.b),
  }))
}

export interface MinuteTotals {
  cost: number
  tokens: number
  traces: number
}

/**
 * The project's production traffic per minute in [fromMs, toMs): an explanation's robust baseline
 * (medians over minutes shrug off an earlier spike in the same hour, where sums would not).
 */
export async function minuteTotals(
  store: Store,
  projectId: string,
  fromMs: number,
  toMs: number,
): Promise<MinuteTotals[]> {
  const rows = await store.query<{ cost: number; tokens: string; traces: string }>(sql`
    SELECT toStartOfMinute(start_time) AS minute, sum(toFloat64(ifNull(cost_usd, 0))) AS cost,
      sum(input_tokens + output_tokens) AS tokens, count() AS traces
    FROM traces FINAL
    WHERE project_id = ${str(projectId)} AND sign = 1 AND NOT is_regression_run AND start_time >= ${at(fromMs)}
      AND start_time < ${at(toMs)}
    GROUP BY minute`)
  return rows.map((r) => ({ cost: num(r.cost), tokens: num(r.tokens), traces: num(r.traces) }))
}

/** How a resolved trace shows a rollup dimension's value (packages/core contributions). */
const DIMENSION_FILTERS: Record<string, (value: string) => SqlFragment> = {
  model: (v) => sql`has(models, ${str(v)})`,
  agent: (v) => sql`has(agents, ${str(v)})`,
  tool: (v) => sql`has(tools, ${str(v)})`,
  user: (v) => sql`user_id = ${str(v)}`,
  service: (v) => sql`has(services, ${str(v)})`,
  release: (v) => sql`has(releases, ${str(v)})`,
  environment: (v) => sql`has(environments, ${str(v)})`,
}

export type TraceOrder = 'cost' | 'tokens' | 'duration' | 'failed'
const ORDER_BY: Record<TraceOrder, SqlFragment> = {
  cost: sql`toFloat64(ifNull(cost_usd, 0))`,
  tokens: sql`input_tokens + output_tokens`,
  duration: sql`duration_ms`,
  failed: sql`(outcome = 'failed') * 2 + (tool_errors > 0 OR outcome = 'recovered')`,
}

export interface TraceFilter {
  /** Dimension type → value; every entry must hold. Unknown types (total, trace) filter nothing. */
  scope: ReadonlyArray<{ dimType: string; value: string }>
  /** Only traces that failed or had errors inside. */
  withErrors?: boolean
}

/** The production traces behind an incident in [fromMs, toMs]: how many, and the most telling ones. */
export async function affectedTraces(
  store: Store,
  projectId: string,
  filter: TraceFilter,
  order: TraceOrder,
  fromMs: number,
  toMs: number,
  limit = 20,
): Promise<{ count: number; traceIds: string[] }> {
  const conditions = filter.scope.flatMap(({ dimType, value }) => {
    const byValue = DIMENSION_FILTERS[dimType]
    return byValue ? [sql`AND ${byValue(value)}`] : []
  })
  if (filter.withErrors) conditions.push(sql`AND (outcome != 'ok' OR tool_errors > 0)`)
  const where = sql`project_id = ${str(projectId)} AND sign = 1 AND NOT is_regression_run
      AND start_time >= ${at(fromMs)} AND start_time <= ${at(toMs)} ${joinAll(conditions)}`
  const [counted, top] = await Promise.all([
    store.query<{ n: string }>(sql`SELECT count() AS n FROM traces FINAL WHERE ${where}`),
    store.query<{ trace_id: string }>(
      sql`SELECT trace_id FROM traces FINAL WHERE ${where} ORDER BY ${ORDER_BY[order]} DESC,
        trace_id LIMIT ${u64(limit)}`,
    ),
  ])
  return { count: num(counted[0]?.n), traceIds: top.map((r) => r.trace_id) }
}

function joinAll(parts: readonly SqlFragment[]): SqlFragment {
  return parts.reduce((acc, part) => sql`${acc} ${part}`, sql``)
}
