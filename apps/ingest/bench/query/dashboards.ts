/**
 * The dashboard page's requests over the same 7 days as the explorer variants (issue 18: "dashboards
 * still ≤ 250 ms" at 10M), through the real API, with the checks that make them one set of numbers:
 * the cost split by model adds up to the overview's cost, the traces series to its traces.
 */
import type { OverviewResponse, SeriesResponse } from '@sightline/schema'

export interface Panel {
  name: string
  path: string
}

export function dashboardPanels(windowEndMs: number): Panel[] {
  // The explorer variants' "now" (kept-query-bench.ts), to the next whole hour: the overview (5-minute steps)
  // and the hourly series then cover the same range, and every run asks the same questions of the same rows.
  const to = Math.ceil((windowEndMs + 600_000) / 3_600_000) * 3_600_000
  const range = `from=${encodeURIComponent(new Date(to - 7 * 86_400_000).toISOString())}&to=${encodeURIComponent(
    new Date(to).toISOString(),
  )}`
  const series = (q: string) => `/api/v1/analytics/series?${q}&step=1h&${range}`
  return [
    { name: 'overview (+ previous 7 days)', path: `/api/v1/analytics/overview?${range}` },
    // `top=50` keeps every model of the generator: the split is checked against the overview's total.
    { name: 'series: cost by model, 1 h', path: series('metric=cost&dimension=model&top=50') },
    { name: 'series: traces, 1 h', path: series('metric=traces') },
    { name: 'series: input tokens, 1 h', path: series('metric=tokens&tokenKind=input') },
    { name: 'series: latency p95, 1 h', path: series('metric=latency_p95') },
    { name: 'series: tool error rate, 1 h', path: series('metric=tool_error_rate') },
    { name: 'top agents by cost', path: `/api/v1/analytics/top?entity=agent&by=cost&limit=8&${range}` },
  ]
}

const sumOf = (body: SeriesResponse) =>
  body.series.reduce((total, s) => total + s.points.reduce((sum, p) => sum + (p.value ?? 0), 0), 0)

/** Splits that must add up to the overview's totals; [] when they do. */
export function checkDashboards(bodies: Record<string, unknown>): string[] {
  const overview = bodies['overview (+ previous 7 days)'] as OverviewResponse
  const cost = sumOf(bodies['series: cost by model, 1 h'] as SeriesResponse)
  const traces = sumOf(bodies['series: traces, 1 h'] as SeriesResponse)
  const problems: string[] = []
  // Costs are sums of floats in a different order: equal to a part in a billion.
  if (Math.abs(cost - overview.current.costUsd) > 1e-9 * Math.max(1, overview.current.costUsd))
    problems.push(`cost by model adds up to ${cost}, the overview says ${overview.current.costUsd}`)
  if (traces !== overview.current.traces)
    problems.push(`the traces series adds up to ${traces}, the overview says ${overview.current.traces}`)
  if (overview.current.traces === 0) problems.push('the overview counts no traces in the range')
  return problems
}
