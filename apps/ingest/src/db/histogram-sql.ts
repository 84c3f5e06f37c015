/**
 * The latency-histogram quantile of packages/core (`histogramQuantile`) as a SQL expression, for the
 * anomaly detector's baselines, which ClickHouse computes over many series at once. Generated from
 * the same constants and rank rule; test/resolve/histogram-sql.int.test.ts proves both agree.
 */
import { HISTOGRAM_GAMMA, HISTOGRAM_UNIT_MS } from '@sightline/core'
import { f64, sql, type SqlFragment } from './sql.js'

/**
 * `hist` is a `sumMap` result `(buckets, counts)`. Nearest rank over positive counts (a retracted
 * contribution not merged away yet may leave a count at or below zero); NaN when empty.
 */
export function histogramQuantileSql(hist: SqlFragment, q: number): SqlFragment {
  const counts = sql`arrayMap(c -> greatest(c, 0), (${hist}).2)`
  const rank = sql`greatest(1, ceil(${f64(q)} * arraySum(${counts})))`
  const bucket = sql`arrayElement((${hist}).1, arrayFirstIndex(c -> c >= ${rank}, arrayCumSum(${counts})))`
  return sql`if(arraySum(${counts}) = 0, nan,
    if(${bucket} = 0, 0, ${f64(HISTOGRAM_UNIT_MS)} * pow(${f64(HISTOGRAM_GAMMA)}, ${bucket} - 0.5)))`
}
