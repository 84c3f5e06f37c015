/**
 * Dashboard analytics over the rollups (`agg_5m`, `agg_1h`), which are fed by resolved traces: every
 * number here is the sum of what the resolver attributed to each trace, so a split by any dimension
 * adds up to the total ('' is the "unattributed" value), and the trace list sums to the same totals.
 */
import { histogramQuantile, type Histogram } from '@sightline/core'
import type {
  AnalyticsDimension,
  AnalyticsMetric,
  AnalyticsStep,
  OverviewTotals,
  Series,
  TokenKind,
  TopRow,
  UnpricedModelsResponse,
} from '@sightline/schema'
import type { Store } from '../client.js'
import { chTime, dt64, sql, strArray, u64 } from '../sql.js'
import { ReleaseComparisonRepository } from './analytics-compare.js'
import {
  isAdditive,
  isLatency,
  LATENCY_QUANTILES,
  metricExpression,
  rankExpression,
  rollupRows,
  STEP_EXPRESSIONS,
  STEP_MS,
  type RollupRange,
} from './analytics-sql.js'

export interface SeriesParams {
  metric: AnalyticsMetric
  dimension: AnalyticsDimension
  step: AnalyticsStep
  tokenKind: TokenKind
  top: number
  /** Aligned to the step, ISO. */
  fromIso: string
  toIso: string
}

type Num = string | number
/** `sumMap` of the latency column: (sorted buckets, counts). */
type HistogramValue = [Num[], Num[]]
const num = (v: Num | null | undefined): number => (v === null || v === undefined ? 0 : Number(v))
const numOrNull = (v: Num | null | undefined): number | null =>
  v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v)
const histogram = (v: HistogramValue | null | undefined): Histogram => ({
  buckets: (v?.[0] ?? []).map(Number),
  counts: (v?.[1] ?? []).map(Number),
})
/** ISO (ms) → DateTime64 text, and back. */
const toChTime = (iso: string) => chTime(iso)
const fromChTime = (text: string) => `${text.replace(' ', 'T')}${text.includes('.') ? '' : '.000'}Z`

/** [from, to) widened to whole steps (UTC). */
export function alignRange(fromIso: string, toIso: string, step: AnalyticsStep): { from: string; to: string } {
  const ms = STEP_MS[step]
  const from = Math.floor(Date.parse(fromIso) / ms) * ms
  const to = Math.max(Math.ceil(Date.parse(toIso) / ms) * ms, from + ms)
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

export class AnalyticsRepository {
  readonly releases: ReleaseComparisonRepository

  constructor(private readonly store: Store) {
    this.releases = new ReleaseComparisonRepository(store)
  }

  async series(projectId: string, p: SeriesParams): Promise<{ source: 'rollup'; series: Series[] }> {
    const range: RollupRange = { projectId, from: toChTime(p.fromIso), to: toChTime(p.toIso) }
    const rows = rollupRows(range, p.dimension, p.step === '5m' ? 'agg_5m' : 'agg_1h')
    const value = metricExpression(p.metric, p.tokenKind)
    let top: string[] = ['']
    if (p.dimension !== 'total') {
      const ranked = await this.store.query<{ dim_value: string }>(sql`
        SELECT dim_value, ${rankExpression(p.metric, p.tokenKind)} AS rank_value FROM ${rows}
        GROUP BY dim_value HAVING ${ACTIVE} ORDER BY rank_value DESC, dim_value LIMIT ${u64(p.top)}`)
      top = ranked.map((r) => r.dim_value)
    }
    const key = sql`if(has(${strArray(top)}, dim_value), dim_value, '') AS key, NOT has(${strArray(top)},
      dim_value) AS is_other`
    const [points, totals] = await Promise.all([
      this.store.query<SeriesRow>(sql`
        SELECT ${key}, toString(${STEP_EXPRESSIONS[p.step]}) AS t, ${value} AS value
        FROM ${rows} GROUP BY key, is_other, t`),
      this.store.query<SeriesRow>(sql`SELECT ${key}, '' AS t, ${value} AS value FROM ${rows} GROUP BY key, is_other`),
    ])
    return { source: 'rollup', series: assembleSeries([...points, ...totals], top, p) }
  }

  async overview(
    projectId: string,
    current: { from: string; to: string },
    previous: { from: string; to: string },
  ): Promise<{ current: OverviewTotals; previous: OverviewTotals }> {
    const whole: RollupRange = { projectId, from: toChTime(previous.from), to: toChTime(current.to) }
    const rows = await this.store.query<OverviewRow>(sql`
      SELECT bucket >= ${dt64(toChTime(current.from))} AS is_current, toFloat64(sum(cost_usd)) AS cost,
        sum(traces) AS n_traces,
        sum(llm_calls) AS n_llm, sum(tool_calls) AS n_tool, sum(tool_errors) AS n_tool_errors, sum(units) AS n_units,
        sum(unit_failures) AS n_failed, sum(unit_recovered) AS n_recovered, sumMap(latency) AS hist,
        sum(input_tokens) AS t_in, sum(output_tokens) AS t_out, sum(cached_input_tokens) AS t_cached,
        sum(cache_write_tokens) AS t_cw, sum(reasoning_tokens) AS t_reason, sum(unpriced_calls) AS n_unpriced
      FROM ${rollupRows(whole, 'total')} GROUP BY is_current`)
    const pick = (isCurrent: boolean, range: { from: string; to: string }) =>
      overviewTotals(
        rows.find((r) => Boolean(Number(r.is_current)) === isCurrent),
        range,
      )
    return { current: pick(true, current), previous: pick(false, previous) }
  }

  /**
   * Top agents, models or users over a range; '' is the unattributed share (traces are listed by TraceListRepository).
   */
  async top(
    projectId: string,
    entity: 'agent' | 'model' | 'user',
    by: 'cost' | 'tokens' | 'calls' | 'errors',
    fromIso: string,
    toIso: string,
    limit: number,
  ): Promise<{ source: 'rollup'; rows: TopRow[] }> {
    const range: RollupRange = { projectId, from: toChTime(fromIso), to: toChTime(toIso) }
    const order = { cost: sql`cost`, tokens: sql`tokens`, calls: sql`n_calls`, errors: sql`n_errors` }[by]
    const result = await this.store.query<{
      dim_value: string
      cost: number
      tokens: Num
      n_calls: Num
      n_errors: Num
      n_traces: Num
      n_llm: Num
    }>(sql`
      SELECT dim_value, toFloat64(sum(cost_usd)) AS cost, sum(input_tokens) + sum(output_tokens) AS tokens,
        sum(units) AS n_calls, sum(unit_failures) AS n_errors, sum(traces) AS n_traces, sum(llm_calls) AS n_llm
      FROM ${rollupRows(range, entity)} GROUP BY dim_value
      HAVING ${ACTIVE}
      ORDER BY ${order} DESC, dim_value LIMIT ${u64(limit)}`)
    return {
      source: 'rollup',
      rows: result.map((r) => ({
        key: r.dim_value,
        label: r.dim_value || UNATTRIBUTED,
        costUsd: num(r.cost),
        tokens: num(r.tokens),
        calls: num(r.n_calls),
        errors: num(r.n_errors),
        traces: num(r.n_traces),
      })),
    }
  }

  /** Models with model calls no price (table or override) covers. */
  async unpricedModels(projectId: string, fromIso: string, toIso: string): Promise<UnpricedModelsResponse['models']> {
    const range: RollupRange = { projectId, from: toChTime(fromIso), to: toChTime(toIso) }
    const rows = await this.store.query<{
      dim_value: string
      n: Num
      tin: Num
      tout: Num
      first: string
      last: string
    }>(sql`
      SELECT dim_value, sum(unpriced_calls) AS n, sum(unpriced_input_tokens) AS tin,
        sum(unpriced_output_tokens) AS tout,
        toString(minIf(bucket, unpriced_calls > 0)) AS first, toString(maxIf(bucket, unpriced_calls > 0)) AS last
      FROM ${rollupRows(range, 'model')} GROUP BY dim_value HAVING n > 0 ORDER BY n DESC, dim_value LIMIT 500`)
    return rows.map((r) => ({
      model: r.dim_value,
      calls: num(r.n),
      inputTokens: num(r.tin),
      outputTokens: num(r.tout),
      firstSeen: fromChTime(r.first),
      lastSeen: fromChTime(r.last),
    }))
  }
}

/**
 * A dimension value with anything in the range. Rows whose sums are all zero are what is left of a
 * contribution a re-resolved trace took back (until merges drop them): not a value of the range.
 */
const ACTIVE = sql`(sum(traces) != 0 OR sum(units) != 0 OR sum(llm_calls) != 0 OR sum(tool_calls) != 0
  OR sum(delegations) != 0 OR sum(cost_usd) != 0 OR sum(spans) != 0)`

/** How the share of a dimension that no value is attributed to is labelled (its key stays ''). */
const UNATTRIBUTED = 'unattributed'

interface OverviewRow {
  is_current: number | boolean
  cost: number
  n_traces: Num
  n_llm: Num
  n_tool: Num
  n_tool_errors: Num
  n_units: Num
  n_failed: Num
  n_recovered: Num
  hist: HistogramValue
  t_in: Num
  t_out: Num
  t_cached: Num
  t_cw: Num
  t_reason: Num
  n_unpriced: Num
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b)

function overviewTotals(row: OverviewRow | undefined, range: { from: string; to: string }): OverviewTotals {
  const units = num(row?.n_units)
  const hist = histogram(row?.hist)
  return {
    from: range.from,
    to: range.to,
    costUsd: num(row?.cost),
    traces: num(row?.n_traces),
    llmCalls: num(row?.n_llm),
    toolCalls: num(row?.n_tool),
    errorRate: ratio(num(row?.n_failed), units),
    recoveredRate: ratio(num(row?.n_recovered), units),
    failedTraces: num(row?.n_failed),
    toolErrorRate: ratio(num(row?.n_tool_errors), num(row?.n_tool)),
    latencyMs: {
      p50: histogramQuantile(hist, 0.5),
      p95: histogramQuantile(hist, 0.95),
      p99: histogramQuantile(hist, 0.99),
    },
    tokens: {
      input: num(row?.t_in),
      output: num(row?.t_out),
      cachedInput: num(row?.t_cached),
      cacheWrite: num(row?.t_cw),
      reasoning: num(row?.t_reason),
    },
    unpricedCalls: num(row?.n_unpriced),
  }
}

interface SeriesRow {
  key: string
  is_other: number | boolean
  /** '' on the whole-range row. */
  t: string
  value: Num | null | HistogramValue
}

/** A row's value as the series shows it: latency quantiles come from the merged histogram. */
function valueOf(row: SeriesRow, metric: AnalyticsMetric): number | null {
  if (isLatency(metric)) return histogramQuantile(histogram(row.value as HistogramValue), LATENCY_QUANTILES[metric])
  return numOrNull(row.value as Num | null)
}

/** Per-step and whole-range rows → one zero-filled series per key (top values in rank order, then "other"). */
function assembleSeries(rows: SeriesRow[], top: string[], p: SeriesParams): Series[] {
  const stepMs = STEP_MS[p.step]
  const times: string[] = []
  for (let t = Date.parse(p.fromIso); t < Date.parse(p.toIso); t += stepMs) times.push(new Date(t).toISOString())
  const fill = isAdditive(p.metric) ? 0 : null
  const byKey = new Map<string, { total: number | null; points: Map<string, number | null> }>()
  const id = (key: string, isOther: boolean) => (isOther ? '\u0000other' : key)
  for (const row of rows) {
    const k = id(row.key, Boolean(Number(row.is_other)))
    const entry = byKey.get(k) ?? { total: fill, points: new Map<string, number | null>() }
    const value = valueOf(row, p.metric) ?? fill
    if (row.t === '') entry.total = value
    else entry.points.set(fromChTime(row.t), value)
    byKey.set(k, entry)
  }
  const keys = [...top.map((key) => ({ key, isOther: false })), { key: '', isOther: true }]
  // An "other" made only of retracted leftovers (all zero) is no series.
  const isEmpty = (entry: { total: number | null; points: Map<string, number | null> }) =>
    !entry.total && [...entry.points.values()].every((v) => !v)
  return keys
    .filter(({ key, isOther }) => byKey.has(id(key, isOther)) && !(isOther && isEmpty(byKey.get(id(key, isOther))!)))
    .map(({ key, isOther }) => {
      const entry = byKey.get(id(key, isOther))
      return {
        key,
        isOther,
        total: entry?.total ?? fill,
        points: times.map((t) => ({ t, value: entry?.points.get(t) ?? fill })),
      }
    })
}
