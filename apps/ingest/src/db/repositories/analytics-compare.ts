/**
 * Release comparison from raw spans (rollups hold no per-trace values). One bounded scan per
 * request: spans of the range are grouped per trace (cost re-priced with overrides, as everywhere),
 * traces are assigned to the release of their earliest span running one of the two releases, and each release is reduced in SQL to the
 * summary statistics the tests need (n, mean, variance, counts, exact quantiles). Node then runs the
 * tests in analytics-stats.ts; no per-trace values leave the database.
 */
import type { CompareReleasesResponse, ReleaseStats } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, sql, str, strArray, type SqlFragment } from '../sql.js'
import { meanInterval, twoProportionTest, welchTTest, wilsonInterval, type Summary } from './analytics-stats.js'
import { pricedSpans } from './priced-spans.js'
import { COUNTED_TOOL_CALL } from './traces.js'

interface ReleaseRow {
  rel: string
  n: string | number
  cost_mean: number
  cost_var: number | null
  log_lat_mean: number
  log_lat_var: number | null
  q: number[]
  error_traces: string | number
  n_tool_calls: string | number
  n_tool_errors: string | number
}

const METHODS = {
  costPerTrace: "Mean cost per trace with a 95% Student-t interval; difference b-a by Welch's t-test (unequal variances).",
  latency:
    "Trace latency = last span end - first span start. Quantiles are exact per release (no CI); the geometric-mean ratio b/a and its 95% CI come from Welch's t-test on log latency.",
  rates: 'Error rate = traces with a failed span / traces; tool-error rate = failed tool calls / tool calls (calls treated as independent). 95% Wilson intervals; b-a by a two-proportion z-test (pooled SE) with a Newcombe hybrid-score CI.',
  population: "A trace belongs to the release (service.version) of its earliest span running release a or b (with an agent filter, that agent's spans): the root for a single service, the sub-agent for a canary sub-agent. All traces starting in [from, to) are used, no sampling.",
}

export class ReleaseComparisonRepository {
  constructor(
    private readonly store: Store,
    private readonly hasOverrides: (projectId: string) => Promise<boolean>,
  ) {}

  async compare(projectId: string, p: { a: string; b: string; agent: string | undefined; from: string; to: string }): Promise<CompareReleasesResponse> {
    const conditions = sql`start_time >= ${dt64(p.from.replace('T', ' ').replace('Z', ''))} AND start_time < ${dt64(p.to.replace('T', ' ').replace('Z', ''))}`
    // A trace belongs to the release of its earliest span running one of the two releases (with
    // `agent`, of that agent's spans): the root for a monolith, the sub-agent for a canary sub-agent.
    const releaseSpan = p.agent
      ? sql`(service_version IN ${strArray([p.a, p.b])} AND agent_name = ${str(p.agent)})`
      : sql`service_version IN ${strArray([p.a, p.b])}`
    const agentFilter: SqlFragment = p.agent ? sql`AND countIf(agent_name = ${str(p.agent)}) > 0` : sql``
    const rows = await this.store.query<ReleaseRow>(sql`
      SELECT rel, count() AS n, avg(trace_cost) AS cost_mean, varSamp(trace_cost) AS cost_var,
        avg(log_lat) AS log_lat_mean, varSamp(log_lat) AS log_lat_var,
        quantilesExact(0.5, 0.95, 0.99)(lat) AS q, countIf(has_error) AS error_traces,
        sum(tool_n) AS n_tool_calls, sum(tool_err) AS n_tool_errors
      FROM (
        SELECT trace_id,
          argMinIf(service_version, start_time, ${releaseSpan}) AS rel,
          toFloat64(ifNull(sumIf(assumeNotNull(eff_cost), eff_cost IS NOT NULL), 0)) AS trace_cost,
          dateDiff('microsecond', min(start_time), max(end_time)) / 1000 AS lat,
          log(greatest(lat, 0.001)) AS log_lat,
          countIf(status = 'error') > 0 AS has_error,
          countIf(${COUNTED_TOOL_CALL}) AS tool_n,
          countIf(${COUNTED_TOOL_CALL} AND status = 'error') AS tool_err
        FROM ${pricedSpans(projectId, conditions, await this.hasOverrides(projectId))}
        GROUP BY trace_id
        HAVING countIf(${releaseSpan}) > 0 ${agentFilter}
      )
      GROUP BY rel`)
    const a = rows.find((r) => r.rel === p.a)
    const b = rows.find((r) => r.rel === p.b)
    return buildComparison(p, a, b)
  }
}

const summary = (n: number, mean: number | undefined, variance: number | null | undefined): Summary => ({
  n,
  mean: Number.isFinite(mean) ? (mean as number) : 0,
  variance: variance === null || variance === undefined || !Number.isFinite(variance) ? 0 : variance,
})

function releaseStats(release: string, row: ReleaseRow | undefined): { stats: ReleaseStats; cost: Summary; logLat: Summary } {
  const n = Number(row?.n ?? 0)
  const cost = summary(n, row?.cost_mean, row?.cost_var)
  const logLat = summary(n, row?.log_lat_mean, row?.log_lat_var)
  const errors = Number(row?.error_traces ?? 0)
  const toolCalls = Number(row?.n_tool_calls ?? 0)
  const toolErrors = Number(row?.n_tool_errors ?? 0)
  const q = n > 0 ? (row?.q ?? []) : []
  return {
    cost,
    logLat,
    stats: {
      release,
      traces: n,
      costPerTrace: meanInterval(cost),
      latencyMs: { p50: q[0] ?? null, p95: q[1] ?? null, p99: q[2] ?? null, geoMean: n > 0 ? Math.exp(logLat.mean) : null },
      errorRate: { ...wilsonInterval(errors, n), successes: errors, n },
      toolErrorRate: { ...wilsonInterval(toolErrors, toolCalls), successes: toolErrors, n: toolCalls },
    },
  }
}

function buildComparison(
  p: { a: string; b: string; agent: string | undefined; from: string; to: string },
  rowA: ReleaseRow | undefined,
  rowB: ReleaseRow | undefined,
): CompareReleasesResponse {
  const a = releaseStats(p.a, rowA)
  const b = releaseStats(p.b, rowB)
  const cost = welchTTest(a.cost, b.cost)
  const lat = welchTTest(a.logLat, b.logLat)
  const exp = (v: number | null) => (v === null ? null : Math.exp(v))
  const quantileDiff = (x: number | null, y: number | null) => ({
    estimate: x === null || y === null ? null : y - x,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    method: 'Difference of exact quantiles b-a; no interval (see latencyGeoMeanRatio for the test).',
  })
  return {
    from: p.from,
    to: p.to,
    agent: p.agent ?? null,
    a: a.stats,
    b: b.stats,
    diff: {
      costPerTrace: { estimate: cost.estimate, ciLow: cost.ciLow, ciHigh: cost.ciHigh, pValue: cost.pValue, method: "Welch's t-test on per-trace cost, 95% CI for b-a" },
      latencyGeoMeanRatio: { estimate: exp(lat.estimate), ciLow: exp(lat.ciLow), ciHigh: exp(lat.ciHigh), pValue: lat.pValue, method: "Welch's t-test on per-trace log latency; ratio of geometric means b/a with 95% CI" },
      latencyP50: quantileDiff(a.stats.latencyMs.p50, b.stats.latencyMs.p50),
      latencyP95: quantileDiff(a.stats.latencyMs.p95, b.stats.latencyMs.p95),
      latencyP99: quantileDiff(a.stats.latencyMs.p99, b.stats.latencyMs.p99),
      errorRate: { ...twoProportionTest(a.stats.errorRate.successes, a.stats.traces, b.stats.errorRate.successes, b.stats.traces), method: 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a' },
      toolErrorRate: { ...twoProportionTest(a.stats.toolErrorRate.successes, a.stats.toolErrorRate.n, b.stats.toolErrorRate.successes, b.stats.toolErrorRate.n), method: 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a' },
    },
    methods: METHODS,
  }
}
