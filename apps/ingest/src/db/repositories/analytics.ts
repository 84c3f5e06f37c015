/**
 * Dashboard analytics over the 5-minute rollups (`agg_5m`). Raw spans are read only where the
 * rollups cannot answer exactly: cost by a non-model dimension when the project has price
 * overrides (see analytics-sql.ts), and release comparison (analytics-compare.ts).
 */
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
import { dt64, sql, str, strArray, u64, type SqlFragment } from '../sql.js'
import { ReleaseComparisonRepository } from './analytics-compare.js'
import {
  isAdditive,
  metricExpression,
  rankExpression,
  rawCostRows,
  modelRows,
  repricedTotalCostRows,
  rollupRows,
  STEP_EXPRESSIONS,
  STEP_MS,
  type RollupRange,
  type RollupTable,
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
const num = (v: Num | null | undefined): number => (v === null || v === undefined ? 0 : Number(v))
const numOrNull = (v: Num | null | undefined): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v))
/** ISO (ms) → DateTime64 text, and back. */
export const toChTime = (iso: string) => iso.replace('T', ' ').replace('Z', '')
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

  constructor(
    private readonly store: Store,
    private readonly hasOverrides: (projectId: string) => Promise<boolean>,
  ) {
    this.releases = new ReleaseComparisonRepository(store, hasOverrides)
  }

  async series(projectId: string, p: SeriesParams): Promise<{ source: 'rollup' | 'raw'; series: Series[] }> {
    const range: RollupRange = { projectId, from: toChTime(p.fromIso), to: toChTime(p.toIso) }
    const table = p.step === '5m' ? 'agg_5m' : 'agg_1h'
    const { source, rows } = await this.sourceFor(range, p.metric, p.dimension, table)
    const value = metricExpression(p.metric, p.tokenKind)
    let top: string[] = ['']
    if (p.dimension !== 'total') {
      const ranked = await this.store.query<{ dim_value: string }>(sql`
        SELECT dim_value, ${rankExpression(p.metric, p.tokenKind)} AS rank_value FROM ${rows}
        GROUP BY dim_value ORDER BY rank_value DESC, dim_value LIMIT ${u64(p.top)}`)
      top = ranked.map((r) => r.dim_value)
    }
    const key = sql`if(has(${strArray(top)}, dim_value), dim_value, '') AS key, NOT has(${strArray(top)}, dim_value) AS is_other`
    const [points, totals] = await Promise.all([
      this.store.query<SeriesRow>(sql`
        SELECT ${key}, toString(${STEP_EXPRESSIONS[p.step]}) AS t, ${value} AS value
        FROM ${rows} GROUP BY key, is_other, t`),
      this.store.query<SeriesRow>(sql`SELECT ${key}, '' AS t, ${value} AS value FROM ${rows} GROUP BY key, is_other`),
    ])
    const grouped = [...points, ...totals]
    return { source, series: assembleSeries(grouped, top, p) }
  }

  async overview(projectId: string, current: { from: string; to: string }, previous: { from: string; to: string }): Promise<{ current: OverviewTotals; previous: OverviewTotals }> {
    const whole: RollupRange = { projectId, from: toChTime(previous.from), to: toChTime(current.to) }
    const split = dt64(toChTime(current.from))
    const models = modelRows(whole, await this.hasOverrides(projectId))
    const [totals, deltas] = await Promise.all([
      this.store.query<OverviewRow>(sql`
        SELECT bucket >= ${split} AS is_current, toFloat64(sum(cost_usd)) AS cost, sum(traces) AS n_traces,
          sum(llm_calls) AS n_llm, sum(tool_calls) AS n_tool, sum(errors) AS n_errors, sum(calls) AS n_calls,
          sum(spans) AS n_spans, sum(span_errors) AS n_span_errors, sum(tool_errors) AS n_tool_errors,
          quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_ms) AS q,
          sum(input_tokens) AS t_in, sum(output_tokens) AS t_out, sum(cached_input_tokens) AS t_cached,
          sum(cache_write_tokens) AS t_cw, sum(reasoning_tokens) AS t_reason
        FROM ${rollupRows(whole, 'total')} GROUP BY is_current`),
      // Unpriced calls and the override re-pricing both live on the model rows.
      this.store.query<{ is_current: number | boolean; delta: number; unpriced: Num }>(sql`
        SELECT bucket >= ${split} AS is_current, toFloat64(sum(cost_delta)) AS delta, sum(unpriced_calls) AS unpriced
        FROM ${models} GROUP BY is_current`),
    ])
    const pick = (isCurrent: boolean, range: { from: string; to: string }): OverviewTotals => {
      const row = totals.find((r) => Boolean(r.is_current) === isCurrent)
      const delta = deltas.find((r) => Boolean(r.is_current) === isCurrent)
      return overviewTotals(row, delta, range)
    }
    return { current: pick(true, current), previous: pick(false, previous) }
  }

  /** Top agents, models or users over a range (traces are listed by TraceRepository). */
  async top(projectId: string, entity: 'agent' | 'model' | 'user', by: 'cost' | 'tokens' | 'calls' | 'errors', fromIso: string, toIso: string, limit: number): Promise<{ source: 'rollup' | 'raw'; rows: TopRow[] }> {
    const range: RollupRange = { projectId, from: toChTime(fromIso), to: toChTime(toIso) }
    let rows: SqlFragment
    let source: 'rollup' | 'raw' = 'rollup'
    if (entity === 'model') rows = modelRows(range, await this.hasOverrides(projectId))
    else if (by === 'cost' && (await this.hasOverrides(projectId))) {
      rows = rawCostRows(range, entity, true)
      source = 'raw'
    } else rows = rollupRows(range, entity)
    const order = { cost: sql`cost`, tokens: sql`tokens`, calls: sql`n_calls`, errors: sql`n_errors` }[by]
    const result = await this.store.query<{ dim_value: string; cost: number; tokens: Num; n_calls: Num; n_errors: Num; n_traces: Num }>(sql`
      SELECT dim_value, toFloat64(sum(cost_usd)) AS cost, sum(input_tokens) + sum(output_tokens) AS tokens,
        sum(calls) AS n_calls, sum(errors) AS n_errors, sum(traces) AS n_traces
      FROM ${rows} GROUP BY dim_value ORDER BY ${order} DESC, dim_value LIMIT ${u64(limit)}`)
    return {
      source,
      rows: result.map((r) => ({ key: r.dim_value, label: r.dim_value, costUsd: num(r.cost), tokens: num(r.tokens), calls: num(r.n_calls), errors: num(r.n_errors), traces: num(r.n_traces) })),
    }
  }

  /** Models with LLM calls that no price (table or override) covers. */
  async unpricedModels(projectId: string, fromIso: string, toIso: string): Promise<UnpricedModelsResponse['models']> {
    const range: RollupRange = { projectId, from: toChTime(fromIso), to: toChTime(toIso) }
    const rows = await this.store.query<{ dim_value: string; n: Num; tin: Num; tout: Num; first: string; last: string }>(sql`
      SELECT dim_value, sum(unpriced_calls) AS n, sum(unpriced_input_tokens) AS tin, sum(unpriced_output_tokens) AS tout,
        toString(minIf(bucket, unpriced_calls > 0)) AS first, toString(maxIf(bucket, unpriced_calls > 0)) AS last
      FROM ${modelRows(range, await this.hasOverrides(projectId))} GROUP BY dim_value HAVING n > 0 ORDER BY n DESC, dim_value LIMIT 500`)
    return rows.map((r) => ({ model: r.dim_value, calls: num(r.n), inputTokens: num(r.tin), outputTokens: num(r.tout), firstSeen: fromChTime(r.first), lastSeen: fromChTime(r.last) }))
  }

  /** Overrides re-price on 5-minute buckets, so re-priced cost always reads agg_5m. */
  private async sourceFor(range: RollupRange, metric: AnalyticsMetric, dimension: AnalyticsDimension, table: RollupTable): Promise<{ source: 'rollup' | 'raw'; rows: SqlFragment }> {
    if (metric !== 'cost') return { source: 'rollup', rows: rollupRows(range, dimension, table) }
    const hasOverrides = await this.hasOverrides(range.projectId)
    if (dimension === 'model') return { source: 'rollup', rows: modelRows(range, hasOverrides, table) }
    if (!hasOverrides) return { source: 'rollup', rows: rollupRows(range, dimension, table) }
    if (dimension === 'total') return { source: 'rollup', rows: repricedTotalCostRows(range) }
    return { source: 'raw', rows: rawCostRows(range, dimension, true) }
  }
}

interface OverviewRow {
  is_current: number | boolean
  cost: number
  n_traces: Num
  n_llm: Num
  n_tool: Num
  n_errors: Num
  n_calls: Num
  n_spans: Num
  n_span_errors: Num
  n_tool_errors: Num
  q: Array<number | null>
  t_in: Num
  t_out: Num
  t_cached: Num
  t_cw: Num
  t_reason: Num
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b)

function overviewTotals(row: OverviewRow | undefined, delta: { delta: number; unpriced: Num } | undefined, range: { from: string; to: string }): OverviewTotals {
  const calls = num(row?.n_calls)
  const q = calls > 0 ? (row?.q ?? []) : []
  return {
    from: range.from,
    to: range.to,
    costUsd: num(row?.cost) + num(delta?.delta),
    traces: num(row?.n_traces),
    llmCalls: num(row?.n_llm),
    toolCalls: num(row?.n_tool),
    errorRate: ratio(num(row?.n_errors), calls),
    spanErrorRate: ratio(num(row?.n_span_errors), num(row?.n_spans)),
    toolErrorRate: ratio(num(row?.n_tool_errors), num(row?.n_tool)),
    latencyMs: { p50: numOrNull(q[0]), p95: numOrNull(q[1]), p99: numOrNull(q[2]) },
    tokens: { input: num(row?.t_in), output: num(row?.t_out), cachedInput: num(row?.t_cached), cacheWrite: num(row?.t_cw), reasoning: num(row?.t_reason) },
    unpricedCalls: num(delta?.unpriced),
  }
}

interface SeriesRow {
  key: string
  is_other: number | boolean
  /** '' on the whole-range row. */
  t: string
  value: Num | null
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
    if (row.t === '') entry.total = numOrNull(row.value) ?? fill
    else entry.points.set(fromChTime(row.t), numOrNull(row.value) ?? fill)
    byKey.set(k, entry)
  }
  const keys = [...top.map((key) => ({ key, isOther: false })), { key: '', isOther: true }]
  return keys
    .filter(({ key, isOther }) => byKey.has(id(key, isOther)))
    .map(({ key, isOther }) => {
      const entry = byKey.get(id(key, isOther))
      return { key, isOther, total: entry?.total ?? fill, points: times.map((t) => ({ t, value: entry?.points.get(t) ?? fill })) }
    })
}
