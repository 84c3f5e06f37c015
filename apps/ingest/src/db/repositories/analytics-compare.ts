/**
 * Release comparison from resolved traces: each trace's contribution to the `release` dimension
 * (what the release's own agents did in that trace: their model calls' cost, their invocations
 * judged with the one outcome definition, their durations as log-bucket histograms). One bounded
 * read per request; the database reduces per release, Node runs the tests in analytics-stats.ts.
 */
import { bucketValueMs, histogramQuantile, type Histogram } from '@sightline/core'
import type { CompareReleasesResponse, ReleaseStats } from '@sightline/schema'
import type { Store } from '../client.js'
import { chTime, dt64, sql, str, strArray } from '../sql.js'
import { meanInterval, twoProportionTest, welchTTest, wilsonInterval, type Summary } from './analytics-stats.js'

interface ReleaseRow {
  rel: string
  n: string | number
  cost_mean: number
  cost_var: number | null
  units: string | number
  failures: string | number
  n_tool_calls: string | number
  n_tool_errors: string | number
  hist: [Array<string | number>, Array<string | number>]
}

const METHODS = {
  costPerTrace:
    "Cost of the release's own model calls per trace it ran in, mean with a 95% Student-t interval; " +
    "difference b-a by Welch's t-test (unequal variances).",
  latency:
    "Latency of the release's agent invocations (the trace, for a service without agent spans), " +
    "from log-bucket histograms (within 1%); the geometric-mean ratio b/a and its 95% CI come from Welch's t-test on " +
    'log latency.',
  rates:
    "Error rate = the release's failed agent invocations / invocations (failed: " +
    'the invocation failed and no later attempt recovered it, the trace outcome definition); ' +
    'tool-error rate = failed tool calls / tool calls. 95% Wilson intervals; ' +
    'b-a by a two-proportion z-test (pooled SE) with a Newcombe hybrid-score CI.',
  population:
    'Every production trace starting in [from, to) in which release a or b ran (with an agent filter, ' +
    'traces that agent ran in), each release judged on its own work in the trace. No sampling.',
}

export class ReleaseComparisonRepository {
  constructor(private readonly store: Store) {}

  async compare(
    projectId: string,
    p: { a: string; b: string; agent: string | undefined; from: string; to: string },
  ): Promise<CompareReleasesResponse> {
    const agentFilter = p.agent ? sql`AND has(agents, ${str(p.agent)})` : sql``
    const rows = await this.store.query<ReleaseRow>(sql`
      SELECT rel, count() AS n, avg(cost) AS cost_mean, varSamp(cost) AS cost_var, sum(u) AS units, sum(f) AS failures,
        sum(tc) AS n_tool_calls, sum(te) AS n_tool_errors, sumMap(lb, lc) AS hist
      FROM (
        SELECT c.dim_value AS rel, toFloat64(c.cost_usd) AS cost, c.units AS u, c.unit_failures AS f,
          c.tool_calls AS tc, c.tool_errors AS te, c.lat_buckets AS lb, c.lat_counts AS lc
        FROM traces FINAL ARRAY JOIN contributions AS c
        WHERE project_id = ${str(projectId)} AND NOT is_regression_run
          AND start_time >= ${dt64(chTime(p.from))} AND start_time < ${dt64(chTime(p.to))}
          AND c.dim_type = 'release' AND c.dim_value IN ${strArray([p.a, p.b])} ${agentFilter}
      )
      GROUP BY rel`)
    const a = rows.find((r) => r.rel === p.a)
    const b = rows.find((r) => r.rel === p.b)
    return buildComparison(p, a, b)
  }
}

/** Mean and variance of log latency over a histogram (each bucket at its representative value). */
function logLatencySummary(h: Histogram): Summary {
  let n = 0
  let sum = 0
  for (let i = 0; i < h.buckets.length; i++) {
    const count = h.counts[i] ?? 0
    if (count <= 0) continue
    n += count
    sum += count * Math.log(Math.max(bucketValueMs(h.buckets[i]!), 0.001))
  }
  const mean = n > 0 ? sum / n : 0
  let squares = 0
  for (let i = 0; i < h.buckets.length; i++) {
    const count = h.counts[i] ?? 0
    if (count > 0) squares += count * (Math.log(Math.max(bucketValueMs(h.buckets[i]!), 0.001)) - mean) ** 2
  }
  return { n, mean, variance: n > 1 ? squares / (n - 1) : 0 }
}

const summary = (n: number, mean: number | undefined, variance: number | null | undefined): Summary => ({
  n,
  mean: Number.isFinite(mean) ? (mean as number) : 0,
  variance: variance === null || variance === undefined || !Number.isFinite(variance) ? 0 : variance,
})

function releaseStats(
  release: string,
  row: ReleaseRow | undefined,
): { stats: ReleaseStats; cost: Summary; logLat: Summary } {
  const n = Number(row?.n ?? 0)
  const cost = summary(n, row?.cost_mean, row?.cost_var)
  const hist: Histogram = { buckets: (row?.hist[0] ?? []).map(Number), counts: (row?.hist[1] ?? []).map(Number) }
  const logLat = logLatencySummary(hist)
  const units = Number(row?.units ?? 0)
  const errors = Number(row?.failures ?? 0)
  const toolCalls = Number(row?.n_tool_calls ?? 0)
  const toolErrors = Number(row?.n_tool_errors ?? 0)
  return {
    cost,
    logLat,
    stats: {
      release,
      traces: n,
      costPerTrace: meanInterval(cost),
      latencyMs: {
        p50: histogramQuantile(hist, 0.5),
        p95: histogramQuantile(hist, 0.95),
        p99: histogramQuantile(hist, 0.99),
        geoMean: logLat.n > 0 ? Math.exp(logLat.mean) : null,
      },
      errorRate: { ...wilsonInterval(errors, units), successes: errors, n: units },
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
    method:
      'Difference of quantiles b-a (log-bucket histograms, within 1%); no interval (see latencyGeoMeanRatio for the ' +
      'test).',
  })
  return {
    from: p.from,
    to: p.to,
    agent: p.agent ?? null,
    a: a.stats,
    b: b.stats,
    diff: {
      costPerTrace: {
        estimate: cost.estimate,
        ciLow: cost.ciLow,
        ciHigh: cost.ciHigh,
        pValue: cost.pValue,
        method: "Welch's t-test on per-trace cost, 95% CI for b-a",
      },
      latencyGeoMeanRatio: {
        estimate: exp(lat.estimate),
        ciLow: exp(lat.ciLow),
        ciHigh: exp(lat.ciHigh),
        pValue: lat.pValue,
        method: "Welch's t-test on log latency of agent invocations; ratio of geometric means b/a with 95% CI",
      },
      latencyP50: quantileDiff(a.stats.latencyMs.p50, b.stats.latencyMs.p50),
      latencyP95: quantileDiff(a.stats.latencyMs.p95, b.stats.latencyMs.p95),
      latencyP99: quantileDiff(a.stats.latencyMs.p99, b.stats.latencyMs.p99),
      errorRate: {
        ...twoProportionTest(
          a.stats.errorRate.successes,
          a.stats.errorRate.n,
          b.stats.errorRate.successes,
          b.stats.errorRate.n,
        ),
        method: 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a',
      },
      toolErrorRate: {
        ...twoProportionTest(
          a.stats.toolErrorRate.successes,
          a.stats.toolErrorRate.n,
          b.stats.toolErrorRate.successes,
          b.stats.toolErrorRate.n,
        ),
        method: 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a',
      },
    },
    methods: METHODS,
  }
}
