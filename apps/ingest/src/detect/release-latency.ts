import { bucketValueMs, histogramQuantile, type Histogram } from '@sightline/core'
import type { Store } from '../db/client.js'
import { sql, str } from '../db/sql.js'
import { binomialUpperTail } from './robust.js'
import { chDateTime } from './snapshot.js'
import type { TrajectoryFinding } from './trajectory.js'

/**
 * Release latency regressions: a release of an agent (a canary, say) whose p95 over the last hour
 * is far above the same agent's main release over the same hour. The series detectors cannot see
 * this: a new release has no day of history, and a sub-agent's release is not a trace's release.
 * Reported as `level_shift` on dimension `release`, metric `latency_p95` (the series tiers never
 * emit that combination: their level shifts are cost and tokens only).
 */
export interface ReleaseLatencyConfig {
  lookbackMs: number
  /** Both the release and its baseline need at least this many agent runs in the window. */
  minRuns: number
  /** p95 must be at least this multiple of the baseline's p95... */
  minRatio: number
  /** ...and this many milliseconds above it... */
  minExcessMs: number
  /**
   * ...and the release's share of runs slower than the baseline's p95 must be improbable for a
   * 5 % tail (binomial): a ratio of p95s alone wobbles with a few dozen runs, this does not.
   */
  tailProbability: number
}

export const DEFAULT_RELEASE_LATENCY_CONFIG: ReleaseLatencyConfig = { lookbackMs: 60 * 60_000, minRuns: 10, minRatio: 1.3, minExcessMs: 100, tailProbability: 1e-4 }

export interface ReleaseLatencyRow {
  projectId: string
  agent: string
  release: string
  runs: number
  /** Durations of the agent's runs of this release (log-bucket histogram). */
  latency: Histogram
  /** The slowest runs' traces first. */
  traceIds: string[]
}

/** One episode per release: the key ignores the agent, so a restart can rebuild it from the anomaly. */
export const releaseLatencyKey = (release: string) => `release-latency:${release}`

/** Runs of `h` in buckets above the one holding `threshold` (ms), i.e. slower than it. */
function slowerThan(h: Histogram, thresholdMs: number): number {
  let n = 0
  h.buckets.forEach((b, i) => {
    if (bucketValueMs(b) > thresholdMs) n += Math.max(0, h.counts[i] ?? 0)
  })
  return n
}

/** Pure: each release vs the agent's most-run other release (which must have at least as many runs). */
export function judgeReleaseLatency(rows: readonly ReleaseLatencyRow[], config: ReleaseLatencyConfig): TrajectoryFinding[] {
  const groups = new Map<string, Array<ReleaseLatencyRow & { p95: number }>>()
  for (const row of rows) {
    const p95 = histogramQuantile(row.latency, 0.95)
    if (row.runs < config.minRuns || p95 === null) continue
    const key = `${row.projectId}\u0000${row.agent}`
    groups.set(key, [...(groups.get(key) ?? []), { ...row, p95 }])
  }
  const findings: TrajectoryFinding[] = []
  for (const group of groups.values()) {
    for (const row of group) {
      const baseline = group.filter((r) => r.release !== row.release).sort((a, b) => b.runs - a.runs)[0]
      if (!baseline || baseline.runs < row.runs || baseline.p95 <= 0) continue
      const ratio = row.p95 / baseline.p95
      if (ratio < config.minRatio || row.p95 - baseline.p95 < config.minExcessMs) continue
      const slower = slowerThan(row.latency, baseline.p95)
      if (binomialUpperTail(slower, row.runs, 0.05) >= config.tailProbability) continue
      findings.push({
        projectId: row.projectId,
        kind: 'level_shift',
        dimension: 'release',
        value: row.release,
        metric: 'latency_p95',
        key: releaseLatencyKey(row.release),
        agent: row.agent,
        observed: row.p95,
        expected: baseline.p95,
        score: Number(ratio.toFixed(2)),
        traceIds: row.traceIds.slice(0, 10),
        summary: `Release ${row.release} of agent ${row.agent} is slower than release ${baseline.release}: p95 ${Math.round(row.p95)} ms vs ${Math.round(baseline.p95)} ms (${ratio.toFixed(1)}×; ${slower} of ${row.runs} runs slower than ${baseline.release}'s p95, against ${baseline.runs} runs, in the last hour)`,
      })
    }
  }
  return findings
}

/** Agent runs of the last hour per (agent, release), from the `agent_release` rollups of resolved traces. */
export async function findReleaseLatencyRegressions(store: Store, nowMs: number, config: ReleaseLatencyConfig): Promise<TrajectoryFinding[]> {
  const at = (ms: number) => sql`toDateTime64(${str(chDateTime(ms))}, 3, 'UTC')`
  const rows = await store.query<{ project_id: string; key: string; n: string; lat: [number[], number[]] }>(sql`
    SELECT project_id, dim_value AS key, sum(units) AS n, sumMap(latency) AS lat
    FROM agg_5m
    WHERE dim_type = 'agent_release' AND bucket >= toStartOfFiveMinutes(${at(nowMs - config.lookbackMs)}) AND bucket <= ${at(nowMs)}
    GROUP BY project_id, dim_value HAVING n > 0`)
  const parsed = rows
    .map((r) => {
      const [agent = '', release = ''] = r.key.split('\u0000')
      const [buckets, counts] = r.lat
      return { projectId: r.project_id, agent, release, runs: Number(r.n), latency: { buckets: buckets.map(Number), counts: counts.map(Number) }, traceIds: [] as string[] }
    })
    .filter((r) => r.agent !== '' && r.release !== '')
  const findings = judgeReleaseLatency(parsed, config)
  for (const finding of findings) finding.traceIds = await slowestTraces(store, finding.projectId, finding.value, nowMs - config.lookbackMs, nowMs)
  return findings
}

/** The slowest production traces of the last hour in which a release ran: the "why" of the finding. */
async function slowestTraces(store: Store, projectId: string, release: string, fromMs: number, toMs: number): Promise<string[]> {
  const at = (ms: number) => sql`toDateTime64(${str(chDateTime(ms))}, 3, 'UTC')`
  const rows = await store.query<{ trace_id: string }>(sql`
    SELECT trace_id FROM traces FINAL
    WHERE project_id = ${str(projectId)} AND NOT is_regression_run AND start_time > ${at(fromMs)} AND start_time <= ${at(toMs)}
      AND has(releases, ${str(release)})
    ORDER BY duration_ms DESC, trace_id LIMIT 10`)
  return rows.map((r) => r.trace_id)
}
