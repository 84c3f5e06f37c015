/**
 * Rollup totals → the registry's health figures. Quantiles come from the merged latency histograms
 * through core's `histogramQuantile`, the one definition the dashboards use too.
 */
import { histogramQuantile } from '@sightline/core'
import type { Health } from '@sightline/schema'
import type { DimensionTotals } from '../db/repositories/registry-health.js'

const EMPTY_TOTALS: Omit<DimensionTotals, 'dimType' | 'dimValue'> = {
  units: 0,
  failures: 0,
  recovered: 0,
  toolCalls: 0,
  toolErrors: 0,
  delegations: 0,
  llmCalls: 0,
  costUsd: 0,
  latency: { buckets: [], counts: [] },
  firstSeen: null,
  lastSeen: null,
}

export function healthOf(
  totals: Omit<DimensionTotals, 'dimType' | 'dimValue'> | undefined,
  sparkline: number[],
  delegatedCostUsd = 0,
): Health {
  const t = totals ?? EMPTY_TOTALS
  return {
    calls: t.units,
    failures: t.failures,
    recovered: t.recovered,
    errorRate: t.units === 0 ? null : t.failures / t.units,
    p50Ms: histogramQuantile(t.latency, 0.5),
    p95Ms: histogramQuantile(t.latency, 0.95),
    costUsd: t.costUsd,
    delegatedCostUsd,
    firstSeen: t.firstSeen,
    lastSeen: t.lastSeen,
    sparkline,
  }
}

/** Totals keyed `dimType\0dimValue`. */
export function indexTotals(rows: readonly DimensionTotals[]): Map<string, DimensionTotals> {
  return new Map(rows.map((r) => [`${r.dimType}\u0000${r.dimValue}`, r]))
}

/** About 48 points per range, in whole 5-minute buckets. */
export function sparklineStepMs(fromMs: number, toMs: number): number {
  const bucket = 300_000
  return Math.max(1, Math.ceil((toMs - fromMs) / 48 / bucket)) * bucket
}

/** Step rows → one zero-filled series per `dimType\0dimValue`. */
export function sparklines(
  rows: ReadonlyArray<{ dimType: string; dimValue: string; index: number; units: number }>,
  points: number,
): Map<string, number[]> {
  const series = new Map<string, number[]>()
  for (const row of rows) {
    const key = `${row.dimType}\u0000${row.dimValue}`
    let values = series.get(key)
    if (!values) series.set(key, (values = new Array<number>(points).fill(0)))
    if (row.index >= 0 && row.index < points) values[row.index] = (values[row.index] ?? 0) + row.units
  }
  return series
}
