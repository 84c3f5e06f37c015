/**
 * @module stats/inference
 * Small, dependency-free statistics for release comparison and the evaluation gate: Student t and
 * normal distributions, Welch's t-test from summary statistics, Wilson score intervals and the
 * two-proportion z-test. Pure functions; checked against scipy/R values in
 * apps/ingest/test/analytics/stats.test.ts.
 */

/** Sample summary: size, mean and unbiased (n − 1) variance. */
export interface Summary {
  n: number
  mean: number
  variance: number
}

export interface Estimate {
  estimate: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface TestResult extends Estimate {
  pValue: number | null
}

const EMPTY: TestResult = { estimate: null, ciLow: null, ciHigh: null, pValue: null }

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms), |error| < 1e-13 for x > 0. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let a = c[0] ?? 0
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-15) break
  }
  return h
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x))
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as in Welch). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t >= 0 ? 1 - tail : tail
}

/** The t value with P(T ≤ t) = p, by bisection on the CDF (monotone; 1e-12 precision). */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e4
  let hi = 1e4
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Standard normal CDF via erfc (W. J. Cody's rational Chebyshev fit, |rel error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.5 * x)
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return z >= 0 ? 1 - erfc / 2 : erfc / 2
}

/** 97.5th percentile of N(0, 1): the 95 % two-sided critical value. */
export const Z_975 = 1.959963984540054

/** Mean with a 95 % t interval. */
export function meanInterval(s: Summary): Estimate {
  if (s.n === 0) return { estimate: null, ciLow: null, ciHigh: null }
  if (s.n < 2) return { estimate: s.mean, ciLow: null, ciHigh: null }
  const half = studentTQuantile(0.975, s.n - 1) * Math.sqrt(s.variance / s.n)
  return { estimate: s.mean, ciLow: s.mean - half, ciHigh: s.mean + half }
}

/** Welch's unequal-variance t-test for mean(b) − mean(a): estimate, 95 % CI, two-sided p. */
export function welchTTest(a: Summary, b: Summary): TestResult & { df: number | null; t: number | null } {
  if (a.n < 2 || b.n < 2) return { ...EMPTY, df: null, t: null }
  const va = a.variance / a.n
  const vb = b.variance / b.n
  const se = Math.sqrt(va + vb)
  const diff = b.mean - a.mean
  if (se === 0) return { estimate: diff, ciLow: diff, ciHigh: diff, pValue: diff === 0 ? 1 : 0, df: null, t: null }
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
  const t = diff / se
  const half = studentTQuantile(0.975, df) * se
  return { estimate: diff, ciLow: diff - half, ciHigh: diff + half, pValue: 2 * studentTCdf(-Math.abs(t), df), df, t }
}

/** Wilson score interval (95 %) for a proportion. */
export function wilsonInterval(successes: number, n: number, z = Z_975): Estimate {
  if (n === 0) return { estimate: null, ciLow: null, ciHigh: null }
  const p = successes / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { estimate: p, ciLow: Math.max(0, centre - half), ciHigh: Math.min(1, centre + half) }
}

/**
 * Two-proportion z-test for p_b − p_a: p-value from the pooled standard error, 95 % CI by
 * Newcombe's hybrid score method (from the two Wilson intervals; good at small counts and at 0).
 */
export function twoProportionTest(xa: number, na: number, xb: number, nb: number): TestResult {
  if (na === 0 || nb === 0) return EMPTY
  const pa = xa / na
  const pb = xb / nb
  const pooled = (xa + xb) / (na + nb)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
  const pValue = se === 0 ? (pa === pb ? 1 : 0) : 2 * (1 - normalCdf(Math.abs(pb - pa) / se))
  const wa = wilsonInterval(xa, na)
  const wb = wilsonInterval(xb, nb)
  const [la, ua, lb, ub] = [wa.ciLow ?? 0, wa.ciHigh ?? 1, wb.ciLow ?? 0, wb.ciHigh ?? 1]
  const diff = pb - pa
  return {
    estimate: diff,
    ciLow: diff - Math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2),
    ciHigh: diff + Math.sqrt((ub - pb) ** 2 + (pa - la) ** 2),
    pValue,
  }
}
