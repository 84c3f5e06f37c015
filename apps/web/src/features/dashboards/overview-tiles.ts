/** Overview tiles: which figures, how they are formatted, and their change vs the previous range. */
import type { OverviewTotals, TraceOutcome } from '@sightline/schema'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'

export type Trend = 'up-bad' | 'up-good' | 'neutral'

export interface TileSpec {
  label: string
  value: (t: OverviewTotals) => number | null
  format: (v: number | null) => string
  /** Rates change in percentage points, everything else in percent. */
  isRate: boolean
  trend: Trend
  /** What the figure is a ratio of, in words and counts ("3 failed / 120 finished traces"). */
  detail?: (t: OverviewTotals) => string
  /** The tile opens the range's traces of these outcomes (the same definition, so the same count). */
  outcomes?: TraceOutcome[]
}

/**
 * Finished traces (failed, recovered or ok) of a range: the error rate's denominator. The API gives
 * the failed count and the rate; their quotient is an integer up to float noise.
 */
export function finishedTraces(t: OverviewTotals): number | null {
  if (t.errorRate === null) return 0
  if (t.errorRate === 0) return null
  return Math.round(t.failedTraces / t.errorRate)
}

/** "3 failed / 120 finished traces": the rate's own counts, so a click on it can be checked. */
export function errorRateDetail(t: OverviewTotals): string {
  const finished = finishedTraces(t)
  if (finished === 0) return 'no finished traces'
  if (finished === null) return '0 failed traces / finished traces'
  return `${count(t.failedTraces)} failed / ${count(finished)} finished traces`
}

export const formatPercent = (v: number | null): string =>
  v === null || !Number.isFinite(v) ? '—' : `${trimPct(v * 100)}%`
const trimPct = (pct: number) => (pct === 0 ? '0' : pct < 10 ? pct.toFixed(1).replace(/\.0$/, '') : pct.toFixed(0))
const count = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'))
const ms = (v: number | null) => (v === null ? '—' : formatDuration(v))

export const TILES: TileSpec[] = [
  { label: 'Cost', value: (t) => t.costUsd, format: (v) => formatCost(v), isRate: false, trend: 'up-bad' },
  { label: 'Traces', value: (t) => t.traces, format: count, isRate: false, trend: 'neutral' },
  { label: 'LLM calls', value: (t) => t.llmCalls, format: count, isRate: false, trend: 'neutral' },
  {
    label: 'Tokens',
    value: (t) => t.tokens.input + t.tokens.output,
    format: (v) => (v === null ? '—' : formatTokens(v)),
    isRate: false,
    trend: 'neutral',
  },
  {
    label: 'Error rate',
    value: (t) => t.errorRate,
    format: formatPercent,
    isRate: true,
    trend: 'up-bad',
    detail: errorRateDetail,
    outcomes: ['failed'],
  },
  {
    label: 'Recovered rate',
    value: (t) => t.recoveredRate,
    format: formatPercent,
    isRate: true,
    trend: 'neutral',
    outcomes: ['recovered'],
    detail: (t) => (t.recoveredRate === null ? 'no finished traces' : 'recovered / finished traces'),
  },
  { label: 'Tool error rate', value: (t) => t.toolErrorRate, format: formatPercent, isRate: true, trend: 'up-bad' },
  { label: 'Latency p50', value: (t) => t.latencyMs.p50, format: ms, isRate: false, trend: 'up-bad' },
  { label: 'Latency p95', value: (t) => t.latencyMs.p95, format: ms, isRate: false, trend: 'up-bad' },
  { label: 'Unpriced calls', value: (t) => t.unpricedCalls, format: count, isRate: false, trend: 'up-bad' },
]

export interface Delta {
  text: string
  tone: 'good' | 'bad' | 'neutral'
}

/**
 * "+12% vs previous" (or "+1.5 pp" for rates); "new" when the previous range had none; null when
 * there is nothing to compare.
 */
export function formatDelta(
  current: number | null,
  previous: number | null,
  isRate: boolean,
  trend: Trend,
): Delta | null {
  if (current === null || previous === null) return null
  let text: string
  let direction: number
  if (isRate) {
    const pp = (current - previous) * 100
    direction = Math.sign(Math.round(pp * 10))
    text = direction === 0 ? '±0 pp' : `${pp > 0 ? '+' : '−'}${Math.abs(pp).toFixed(1)} pp`
  } else if (previous === 0) {
    if (current === 0) return { text: '±0%', tone: 'neutral' }
    return { text: 'new', tone: 'neutral' }
  } else {
    const pct = ((current - previous) / previous) * 100
    direction = Math.sign(Math.round(pct))
    text =
      direction === 0
        ? '±0%'
        : `${pct > 0 ? '+' : '−'}` +
          `${Math.abs(pct) >= 100 ? Math.round(Math.abs(pct)).toLocaleString('en-US') : Math.abs(pct).toFixed(0)}%`
  }
  if (direction === 0 || trend === 'neutral') return { text, tone: 'neutral' }
  const isBad = trend === 'up-bad' ? direction > 0 : direction < 0
  return { text, tone: isBad ? 'bad' : 'good' }
}
