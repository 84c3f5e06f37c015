import type { DetectorConfig } from './config.js'
import { baselineOf } from './robust.js'
import { evaluationClock, type BucketSums, type SeriesSnapshot } from './snapshot.js'

/**
 * The same snapshot that db/repositories/series-snapshots.ts asks ClickHouse for, computed in TS from per-bucket sums.
 * The benchmark uses it to replay weeks of synthetic data in seconds; the SQL/TS agreement test
 * keeps the two in step.
 */
export interface BucketView extends BucketSums {
  /** p95 latency of the bucket's requests (NaN without requests). */
  p95: number
}

export interface SeriesSource {
  projectId: string
  dimType: string
  dimValue: string
  firstSeenMs: number
  /** The bucket as visible at the evaluation time (the open bucket is partial); undefined = no row. */
  bucket(startMs: number): BucketView | undefined
  /** p95 over the previous and the open bucket together. */
  windowP95(prevMs: number, nowMs: number): number
}

export function snapshotFromBuckets(source: SeriesSource, nowMs: number, config: DetectorConfig): SeriesSnapshot {
  const clock = evaluationClock(nowMs, config)
  const zero: BucketSums = { cost: 0, tokens: 0, calls: 0, errors: 0 }
  const valid = clock.slotsMs.filter((s) => s >= source.firstSeenMs)
  const rows = valid.map((s) => source.bucket(s) ?? { ...zero, p95: Number.NaN })
  const busy = rows.filter((r) => r.calls > 0)
  const sums = (b: BucketView | undefined): BucketSums =>
    b ? { cost: b.cost, tokens: b.tokens, calls: b.calls, errors: b.errors } : zero
  return {
    projectId: source.projectId,
    dimType: source.dimType,
    dimValue: source.dimValue,
    firstSeenMs: source.firstSeenMs,
    cur: sums(source.bucket(clock.curMs)),
    prev: sums(source.bucket(clock.prevMs)),
    windowP95: source.windowP95(clock.prevMs, nowMs),
    cost: baselineOf(rows.map((r) => r.cost)),
    tokens: baselineOf(rows.map((r) => r.tokens)),
    calls: baselineOf(rows.map((r) => r.calls)),
    latencyP95: baselineOf(busy.map((r) => r.p95)),
    errorRate: baselineOf(busy.map((r) => r.errors / r.calls)),
    pooledErrorRate: pooledRate(busy),
  }
}

function pooledRate(rows: readonly BucketSums[]): number {
  const calls = rows.reduce((n, r) => n + r.calls, 0)
  return calls > 0 ? rows.reduce((n, r) => n + r.errors, 0) / calls : Number.NaN
}
