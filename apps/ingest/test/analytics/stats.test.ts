import { describe, expect, it } from 'vitest'
import {
  meanInterval,
  normalCdf,
  studentTCdf,
  studentTQuantile,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
} from '../../src/db/repositories/analytics-stats.js'

// Reference values: scipy 1.17 (t, normal, Welch) and Newcombe (1998), Stat Med 17:857 (Wilson, hybrid score).
describe('analytics statistics', () => {
  it('Student t CDF and quantile match scipy', () => {
    expect(studentTCdf(2.0, 10)).toBeCloseTo(0.9633059826146299, 10)
    expect(studentTCdf(-1.5, 3.7)).toBeCloseTo(0.10679908460100675, 10)
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 8)
    expect(studentTQuantile(0.975, 5.882353)).toBeCloseTo(2.4588237035989824, 6)
  })

  it('normal CDF matches scipy', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 6)
    expect(normalCdf(-2.5)).toBeCloseTo(0.006209665325776132, 6)
  })

  it("Welch's t-test matches scipy.stats.ttest_ind(equal_var=False)", () => {
    // a = [1..5], b = 2a: means 3 and 6, variances 2.5 and 10.
    const r = welchTTest({ n: 5, mean: 3, variance: 2.5 }, { n: 5, mean: 6, variance: 10 })
    expect(r.t).toBeCloseTo(1.8973665961010275, 10)
    expect(r.df).toBeCloseTo(5.882352941176471, 10)
    expect(r.pValue).toBeCloseTo(0.10753119493062728, 7)
    expect(r.ciLow).toBeCloseTo(-0.887741643736975, 6)
    expect(r.ciHigh).toBeCloseTo(6.887741643736975, 6)
  })

  it('Welch handles tiny samples and zero variance', () => {
    expect(welchTTest({ n: 1, mean: 1, variance: 0 }, { n: 5, mean: 1, variance: 1 }).pValue).toBeNull()
    expect(welchTTest({ n: 3, mean: 2, variance: 0 }, { n: 3, mean: 2, variance: 0 }).pValue).toBe(1)
  })

  it('mean interval uses the t quantile', () => {
    const r = meanInterval({ n: 11, mean: 10, variance: 4 })
    expect(r.ciHigh! - 10).toBeCloseTo(2.228138851986274 * Math.sqrt(4 / 11), 7)
  })

  it('Wilson interval matches Newcombe (1998) 81/263', () => {
    const r = wilsonInterval(81, 263)
    expect(r.ciLow).toBeCloseTo(0.2553, 4)
    expect(r.ciHigh).toBeCloseTo(0.3662, 4)
    expect(wilsonInterval(0, 10).ciLow).toBe(0)
  })

  it('two-proportion test: Newcombe hybrid CI and pooled z p-value', () => {
    // Newcombe example (a): 56/70 vs 48/80, difference 0.2, method 10 CI 0.0524 to 0.3339.
    const r = twoProportionTest(48, 80, 56, 70)
    expect(r.estimate).toBeCloseTo(0.2, 10)
    expect(r.ciLow).toBeCloseTo(0.0524, 4)
    expect(r.ciHigh).toBeCloseTo(0.3339, 4)
    expect(r.pValue).toBeCloseTo(0.00804508136819656, 6) // scipy: 2 * norm.sf(z)
  })
})
