/**
 * API series → recharts rows. Series get positional data keys (`s0`, `s1`, …) because recharts
 * reads a string dataKey as a property path, and model names such as `gpt-4.1` contain dots.
 */
import type { AnalyticsDimension, AnalyticsStep, Series } from '@sightline/schema'

export interface ChartSeries {
  dataKey: string
  name: string
  /** The dimension value behind the series ('' = unattributed); null for the pooled "other" series. */
  value: string | null
  /** The share no value of the dimension is attributed to (no agent, no user, …). */
  isUnattributed: boolean
  /** The series over the whole range, as the API sums it. */
  total: number | null
}

/** What the share of a split that no dimension value is attributed to is called; never dropped, so splits add up. */
export const UNATTRIBUTED_LABEL = 'unattributed'

/** A series' name: its value, "Other", the total, or "unattributed" for '' on a split. */
function seriesName(
  series: Pick<Series, 'key' | 'isOther'>,
  dimension: AnalyticsDimension,
  totalName = 'Total',
): string {
  if (series.isOther) return 'Other'
  if (series.key !== '') return series.key
  return dimension === 'total' ? totalName : UNATTRIBUTED_LABEL
}

type ChartRow = { t: string } & Record<string, number | null | string>

export interface ChartData {
  rows: ChartRow[]
  series: ChartSeries[]
}

/** One series per dimension value of one response (e.g. cost by model, "other" last). */
export function seriesToChart(
  series: readonly Series[],
  dimension: AnalyticsDimension,
  totalName = 'Total',
): ChartData {
  const ordered = [...series.filter((s) => !s.isOther), ...series.filter((s) => s.isOther)]
  const named = ordered.map(
    (s, i): ChartSeries => ({
      dataKey: `s${i}`,
      name: seriesName(s, dimension, totalName),
      value: s.isOther ? null : s.key,
      isUnattributed: dimension !== 'total' && !s.isOther && s.key === '',
      total: s.total,
    }),
  )
  return { rows: buildRows(ordered, named), series: named }
}

/** Several single-series responses on one chart (e.g. p50 / p95 / p99), named by the caller. */
export function combineSeries(parts: ReadonlyArray<{ name: string; series: Series | undefined }>): ChartData {
  const present = parts.filter((p): p is { name: string; series: Series } => p.series !== undefined)
  const named = present.map(
    (p, i): ChartSeries => ({
      dataKey: `s${i}`,
      name: p.name,
      value: p.series.key,
      isUnattributed: false,
      total: p.series.total,
    }),
  )
  return {
    rows: buildRows(
      present.map((p) => p.series),
      named,
    ),
    series: named,
  }
}

function buildRows(series: readonly Series[], named: readonly ChartSeries[]): ChartRow[] {
  const byTime = new Map<string, ChartRow>()
  series.forEach((s, i) => {
    for (const point of s.points) {
      const row = byTime.get(point.t) ?? { t: point.t }
      row[named[i]!.dataKey] = point.value
      byTime.set(point.t, row)
    }
  })
  return [...byTime.values()].sort((a, b) => Date.parse(a.t) - Date.parse(b.t))
}

/** Sum of every series at each point (for "is there any data" checks and the stacked total). */
export function hasData(data: ChartData): boolean {
  return data.rows.some((row) => data.series.some((s) => typeof row[s.dataKey] === 'number' && row[s.dataKey] !== 0))
}

/** "14:05" within a day, "03-09 14:00" across days, "03-09" for daily points (local time). */
export function formatBucket(t: string, step: AnalyticsStep, spansDays: boolean): string {
  const d = new Date(t)
  const pad = (n: number) => String(n).padStart(2, '0')
  const day = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  if (step === '1d') return day
  return spansDays ? `${day} ${time}` : time
}

/** Compact money for axis ticks: "$0", "$0.005", "$0.80", "$12", "$1.2k". */
export function formatCostTick(usd: number): string {
  if (!Number.isFinite(usd) || usd === 0) return '$0'
  if (usd < 0.01) return `$${Number(usd.toPrecision(1))}`
  if (usd < 10) return `$${usd.toFixed(2)}`
  if (usd < 1000) return `$${Math.round(usd)}`
  return `$${(usd / 1000).toFixed(1)}k`
}
