import { bucketValueMs, histogramQuantile, type Histogram } from '@sightline/core'
import type { Store } from '../db/client.js'
import { agentReleaseLatency, slowestReleaseTraces } from '../db/repositories/trajectory-reads.js'
import { binomialUpperTail } from './robust.js'
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

export const DEFAULT_RELEASE_LATENCY_CONFIG: ReleaseLatencyConfig = {
  lookbackMs: 60 * 60_000,
  minRuns: 10,
  minRatio: 1.3,
  minExcessMs: 100,
  tailProbability: 1e-4,
}

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
export function judgeReleaseLatency(
  rows: readonly ReleaseLatencyRow[],
  config: ReleaseLatencyConfig,
): TrajectoryFinding[] {
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
        summary:
          `Release ${row.release} of agent ${row.agent} is slower than release ${baseline.release}: ` +
          `p95 ${Math.round(row.p95)} ms vs ${Math.round(baseline.p95)} ms (${ratio.toFixed(1)}×; ${slower} ` +
          `of ${row.runs} runs slower than ${baseline.release}'s p95, against ${baseline.runs} runs, in the last hour)`,
      })
    }
  }
  return findings
}

/** Agent runs of the last hour per (agent, release), from the `agent_release` rollups of resolved traces. */
export async function findReleaseLatencyRegressions(
  store: Store,
  nowMs: number,
  config: ReleaseLatencyConfig,
): Promise<TrajectoryFinding[]> {
  const from = nowMs - config.lookbackMs
  const rows = (await agentReleaseLatency(store, from, nowMs))
    .filter((r) => r.agent !== '' && r.release !== '')
    .map((r): ReleaseLatencyRow => ({ ...r, traceIds: [] }))
  const findings = judgeReleaseLatency(rows, config)
  for (const finding of findings)
    finding.traceIds = await slowestReleaseTraces(store, finding.projectId, finding.value, from, nowMs)
  return findings
}
