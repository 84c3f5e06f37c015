import type { DetectorConfig } from './config.js'
import type { Baseline } from './robust.js'

/**
 * What one evaluation knows about one series: the current window and its seasonal baselines.
 * Built by ClickHouse from `agg_5m` in production (db/repositories/series-snapshots.ts) and by the same maths in TS for
 * the benchmark (ts-baseline.ts); `test/detect/baseline-sql.test.ts` proves the two agree.
 *
 * The window is a sliding 5 minutes ending at `now`: the open bucket so far plus the part of the
 * previous bucket it overlaps (pro-rated). Evaluating every minute therefore sees new data each
 * time, so "2 consecutive evaluations" is a real confirmation and not the same bucket twice.
 */
export interface SeriesSnapshot {
  projectId: string
  dimType: string
  dimValue: string
  firstSeenMs: number
  /** Sums of the open bucket so far and of the previous (closed) bucket. */
  cur: BucketSums
  prev: BucketSums
  /** p95 latency over the previous and open buckets (merged log-bucket histograms), NaN when no requests. */
  windowP95: number
  cost: Baseline
  tokens: Baseline
  /** Baseline of the 5-min request count; its median is the series' "typical" volume. */
  calls: Baseline
  latencyP95: Baseline
  errorRate: Baseline
  /** Σ errors / Σ requests over the baseline slots: the rate a binomial test compares against. */
  pooledErrorRate: number
}

export interface BucketSums {
  cost: number
  tokens: number
  calls: number
  errors: number
}

export const DIM_TYPES = ['total', 'model', 'agent', 'tool', 'user', 'service', 'release', 'environment'] as const

export interface EvaluationClock {
  nowMs: number
  /** Start of the open 5-min bucket. */
  curMs: number
  prevMs: number
  /** Fraction of the open bucket elapsed, 0 ≤ f < 1. */
  fraction: number
  /** Baseline slot starts: prev − d days + k buckets, d ∈ 1…baselineDays, |k| ≤ slotRadius. */
  slotsMs: number[]
}

export function evaluationClock(nowMs: number, config: DetectorConfig): EvaluationClock {
  const curMs = Math.floor(nowMs / config.bucketMs) * config.bucketMs
  const prevMs = curMs - config.bucketMs
  const slotsMs: number[] = []
  for (let d = 1; d <= config.baselineDays; d++) {
    for (let k = -config.slotRadius; k <= config.slotRadius; k++)
      slotsMs.push(prevMs - d * 86_400_000 + k * config.bucketMs)
  }
  return { nowMs, curMs, prevMs, fraction: (nowMs - curMs) / config.bucketMs, slotsMs }
}

/** Sliding-window value of an additive metric. */
export function windowSum(snapshot: SeriesSnapshot, metric: keyof BucketSums, fraction: number): number {
  return snapshot.cur[metric] + snapshot.prev[metric] * (1 - fraction)
}
