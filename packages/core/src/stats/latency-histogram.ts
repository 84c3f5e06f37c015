/**
 * @module stats/latency-histogram
 * Latency distributions as log-scale bucket counts (the DDSketch idea): bucket k holds durations in
 * (γ^(k-1), γ^k] × 1 µs with γ = 1.02, so any quantile read back is within 1 % of the true value.
 *
 * Why not t-digest: rollups are fed by trace resolutions, and a trace that is resolved again must
 * take its earlier contribution back. Bucket counts can be subtracted exactly (a `sumMap` with signed
 * counts in ClickHouse); a t-digest state cannot. They also merge exactly, so a quantile over a day
 * reads the same from 5-minute or hourly rollups.
 */

export const HISTOGRAM_GAMMA = 1.02
const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA)
/** Durations are bucketed in microseconds; 0 µs (and negatives) go to bucket 0. */
export const HISTOGRAM_UNIT_MS = 0.001
const UNIT_MS = HISTOGRAM_UNIT_MS
const MAX_BUCKET = 65_535

/** Bucket of a duration in milliseconds. */
export function latencyBucket(ms: number): number {
  if (!(ms > UNIT_MS)) return ms > 0 ? 1 : 0
  return Math.min(MAX_BUCKET, Math.ceil(Math.log(ms / UNIT_MS) / LOG_GAMMA))
}

/** The value a bucket stands for: the geometric middle of its bounds (≤ 1 % from any member). */
export function bucketValueMs(bucket: number): number {
  if (bucket <= 0) return 0
  return UNIT_MS * HISTOGRAM_GAMMA ** (bucket - 0.5)
}

/** A histogram as parallel arrays (what ClickHouse's `sumMap` returns): sorted buckets, their counts. */
export interface Histogram {
  buckets: number[]
  counts: number[]
}

export function histogramOf(durationsMs: readonly number[]): Histogram {
  const counts = new Map<number, number>()
  for (const ms of durationsMs) {
    const bucket = latencyBucket(ms)
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
  }
  const buckets = [...counts.keys()].sort((a, b) => a - b)
  return { buckets, counts: buckets.map((b) => counts.get(b)!) }
}

/**
 * The q-quantile (0 < q ≤ 1) by nearest rank, or null for an empty histogram. Counts of 0 or below
 * (a retracted contribution not merged away yet) are skipped.
 */
export function histogramQuantile(histogram: Histogram, q: number): number | null {
  let total = 0
  for (const count of histogram.counts) if (count > 0) total += count
  if (total === 0) return null
  const rank = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (let i = 0; i < histogram.buckets.length; i++) {
    const count = histogram.counts[i]!
    if (count <= 0) continue
    seen += count
    if (seen >= rank) return bucketValueMs(histogram.buckets[i]!)
  }
  return bucketValueMs(histogram.buckets[histogram.buckets.length - 1]!)
}
