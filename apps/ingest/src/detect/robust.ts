/**
 * Robust statistics shared by the detector, the SQL baseline's agreement test and the benchmark.
 * Quantiles interpolate linearly between order statistics (R-7, Excel PERCENTILE.INC), which is
 * what ClickHouse's `quantileExactInclusive` computes, so the SQL and TS baselines agree exactly.
 */

/** MAD → σ for normal data. */
export const MAD_TO_SIGMA = 1.4826

export function quantileInclusive(values: readonly number[], level: number): number {
  if (values.length === 0) return Number.NaN
  // A typed-array sort is numeric and several times faster than Array#sort with a comparator.
  const sorted = Float64Array.from(values).sort()
  const h = (sorted.length - 1) * level
  const lo = Math.floor(h)
  const low = sorted[lo] as number
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number
  return low + (h - lo) * (high - low)
}

export const median = (values: readonly number[]) => quantileInclusive(values, 0.5)

/** Median absolute deviation around the median (unscaled). */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)))
}

export interface Baseline {
  /** Median of the baseline points: the "expected" value. */
  median: number
  /** Unscaled MAD of the baseline points. */
  mad: number
  /** Number of baseline points (slots with data or known zeros). */
  points: number
}

export function baselineOf(values: readonly number[]): Baseline {
  const m = median(values)
  return { median: m, mad: mad(values, m), points: values.length }
}

/**
 * The scale used to turn an excess into a z-score. A raw MAD collapses to 0 on sparse or very
 * regular series (most baseline slots equal), which would make every blip infinite; the scale is
 * therefore floored by a fraction of the median and by an absolute minimum.
 */
export function robustScale(baseline: Baseline, relativeFloor: number, absoluteFloor: number): number {
  return Math.max(MAD_TO_SIGMA * baseline.mad, relativeFloor * Math.abs(baseline.median), absoluteFloor)
}

export function robustZ(observed: number, baseline: Baseline, relativeFloor: number, absoluteFloor: number): number {
  return (observed - baseline.median) / robustScale(baseline, relativeFloor, absoluteFloor)
}

/**
 * One-sided (upward) tabular CUSUM on standardised residuals: `S = max(0, S + r − k)`.
 * Alarms when S exceeds h. k = 0.5 tunes it to shifts of about one σ.
 */
export function cusumStep(previous: number, residual: number, slack: number): number {
  return Math.max(0, previous + residual - slack)
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (n is a window's request count: small). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1
  if (k > n) return 0
  if (p <= 0) return 0
  if (p >= 1) return 1
  const logP = Math.log(p)
  const logQ = Math.log1p(-p)
  let logChoose = 0
  for (let i = 1; i <= k; i++) logChoose += Math.log((n - k + i) / i)
  let term = logChoose + k * logP + (n - k) * logQ
  let total = 0
  for (let i = k; i <= n; i++) {
    total += Math.exp(term)
    term += Math.log((n - i) / (i + 1)) + logP - logQ
  }
  return Math.min(1, total)
}
