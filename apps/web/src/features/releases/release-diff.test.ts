import { describe, expect, it } from 'vitest'
import {
  canaryAndBaseline,
  describeCost,
  describeLatency,
  describeRate,
  formatPValue,
  methodInWords,
} from './release-diff'

const LATENCY = "Welch's t-test on per-trace log latency; ratio of geometric means b/a with 95% CI"
const RATES = 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a'

describe('release differences in words', () => {
  it('states a slower release with its interval, test and p-value', () => {
    const text = describeLatency(
      { estimate: 2.43, ciLow: 2.1, ciHigh: 2.81, pValue: 1e-9, method: LATENCY },
      '1.4.0',
      '1.5.0-canary',
    )
    expect(text).toEqual({
      headline: '1.5.0-canary is 2.4× slower than 1.4.0',
      detail: '(95 % CI 2.1–2.8×, Welch t-test on per-trace log latency, p < 0.001)',
      tone: 'worse',
    })
  })

  it('inverts a ratio below 1 into "faster", and says when the interval includes no change', () => {
    expect(
      describeLatency({ estimate: 0.5, ciLow: 0.4, ciHigh: 0.625, pValue: 0.0004, method: LATENCY }, 'a', 'b'),
    ).toMatchObject({
      headline: 'b is 2.0× faster than a',
      detail: expect.stringContaining('1.6–2.5×'),
      tone: 'better',
    })
    const unsure = describeLatency({ estimate: 1.1, ciLow: 0.9, ciHigh: 1.3, pValue: 0.31, method: LATENCY }, 'a', 'b')!
    expect(unsure.tone).toBe('unclear')
    expect(unsure.headline).toBe('No clear latency difference between b and a (1.10× slower)')
    expect(unsure.detail).toContain('p = 0.31')
  })

  it('states cost and rate differences', () => {
    expect(
      describeCost(
        {
          estimate: 0.012,
          ciLow: 0.008,
          ciHigh: 0.016,
          pValue: 0.002,
          method: "Welch's t-test on per-trace cost, 95% CI for b-a",
        },
        'a',
        'b',
        0.04,
      ),
    ).toEqual({
      headline: 'b costs $0.0120 more per trace (+30 %) than a',
      detail: '(95 % CI $0.008 to $0.0160, Welch t-test on per-trace cost, p = 0.002)',
      tone: 'worse',
    })
    expect(
      describeRate(
        { estimate: 0.032, ciLow: 0.011, ciHigh: 0.053, pValue: 0.004, method: RATES },
        'error rate',
        'a',
        'b',
      ),
    ).toEqual({
      headline: "b's error rate is 3.2 pp higher than a's",
      detail: '(95 % CI +1.1 to +5.3 pp, two-proportion z-test, p = 0.004)',
      tone: 'worse',
    })
    expect(
      describeRate({ estimate: null, ciLow: null, ciHigh: null, pValue: null, method: RATES }, 'error rate', 'a', 'b'),
    ).toBeNull()
  })

  it('formats p-values and method names', () => {
    expect([formatPValue(0.0004), formatPValue(0.0042), formatPValue(0.2), formatPValue(null)]).toEqual([
      'p < 0.001',
      'p = 0.004',
      'p = 0.20',
      'no test',
    ])
    expect(methodInWords(RATES)).toBe('two-proportion z-test')
  })

  it('picks the canary against the most used other release', () => {
    expect(
      canaryAndBaseline([
        { release: '1.4.0', invocations: 80 },
        { release: '1.5.0-canary', invocations: 20 },
        { release: '1.3.9', invocations: 5 },
      ]),
    ).toEqual({ a: '1.4.0', b: '1.5.0-canary' })
    expect(
      canaryAndBaseline([
        { release: '2.3.0', invocations: 10 },
        { release: '2.3.1', invocations: 90 },
      ]),
    ).toEqual({ a: '2.3.1', b: '2.3.0' })
    expect(canaryAndBaseline([{ release: '1', invocations: 1 }])).toBeNull()
  })
})

describe('equal costs', () => {
  it('does not print float noise', () => {
    const text = describeCost(
      { estimate: 8.67e-18, ciLow: -0.007, ciHigh: 0.007, pValue: 1, method: "Welch's t-test on per-trace cost" },
      'a',
      'b',
      0.01,
    )!
    expect(text.headline).toBe('No clear cost difference between b and a (the same mean cost per trace)')
  })
})
