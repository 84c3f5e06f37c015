import { describe, expect, it } from 'vitest'
import {
  checkThresholds,
  compareWithBaseline,
  estimateMetric,
  estimateSuite,
  gateSummary,
  gateVerdict,
  parseThreshold,
} from './gate.js'

describe('evaluation gate statistics', () => {
  it('parses thresholds and names the problem otherwise', () => {
    expect(parseThreshold('trajectory_in_order>=0.9')).toEqual({ metric: 'trajectory_in_order', op: '>=', value: 0.9 })
    expect(parseThreshold('final_match > 0.8')).toEqual({ metric: 'final_match', op: '>', value: 0.8 })
    expect(parseThreshold('recall>=0.9')).toMatch(/unknown metric recall/)
    expect(parseThreshold('pass_rate=1')).toMatch(/is not <metric><op><number>/)
  })

  it('estimates 0/1 metrics with a Wilson interval and others with a t interval', () => {
    const binary = estimateMetric('pass_rate', [1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
    expect(binary.mean).toBe(0.9)
    // Wilson 95 % for 9/10: 0.5958–0.9821 (R: prop.test(9, 10, correct = FALSE)$conf.int).
    expect(binary.ciLow).toBeCloseTo(0.5958, 3)
    expect(binary.ciHigh).toBeCloseTo(0.9821, 3)
    const ratio = estimateMetric('trajectory_precision', [1, 0.25, 1, 1])
    expect(ratio.mean).toBeCloseTo(0.8125)
    expect(ratio.method).toMatch(/Student-t/)
    expect(ratio.ciHigh).toBe(1)
    expect(ratio.ciLow!).toBeLessThan(0.8125)
  })

  it('measures only scored runs and gates on thresholds and the accepted release', () => {
    const runs = [
      { caseId: 'a', verdict: 'pass' as const, metrics: { pass_rate: 1, trajectory_precision: 1 } },
      { caseId: 'b', verdict: 'fail' as const, metrics: { pass_rate: 0, trajectory_precision: 0.25 } },
      { caseId: 'c', verdict: 'error' as const, metrics: { pass_rate: 0 } },
    ]
    const estimates = estimateSuite(runs)
    expect(estimates.map((e) => [e.metric, e.n, e.mean])).toEqual([
      ['pass_rate', 2, 0.5],
      ['trajectory_precision', 2, 0.625],
    ])
    const thresholds = checkThresholds(estimates, [
      { metric: 'trajectory_precision', op: '>=', value: 0.9 },
      { metric: 'final_match', op: '>=', value: 0.5 },
    ])
    expect(thresholds.map((t) => t.passed)).toEqual([false, false])
    expect(gateVerdict(['pass', 'fail'], thresholds, [])).toBe('fail')
    expect(gateVerdict(['pass', 'pass'], [], [])).toBe('pass')
    expect(gateVerdict(['pass', 'error', 'fail'], thresholds, [])).toBe('error')
    expect(gateVerdict(['pass', 'unverifiable'], [], [])).toBe('unverifiable')
    expect(gateVerdict([], [], [])).toBe('error')
  })

  it('flags a significant drop against the accepted release, not a small one', () => {
    const baseline = [
      estimateMetric(
        'pass_rate',
        Array.from({ length: 30 }, () => 1),
      ),
    ]
    const worse = [
      estimateMetric('pass_rate', [...Array.from({ length: 15 }, () => 1), ...Array.from({ length: 15 }, () => 0)]),
    ]
    const [drop] = compareWithBaseline(worse, baseline)
    expect(drop).toMatchObject({ metric: 'pass_rate', baseline: 1, current: 0.5, regressed: true })
    expect(drop!.pValue!).toBeLessThan(0.001)
    const [same] = compareWithBaseline(
      [estimateMetric('pass_rate', [...Array.from({ length: 29 }, () => 1), 0])],
      baseline,
    )
    expect(same!.regressed).toBe(false)
  })

  it('says it in one line', () => {
    const metrics = [
      estimateMetric(
        'trajectory_in_order',
        Array.from({ length: 12 }, () => 1),
      ),
    ]
    const text = gateSummary({
      release: '2.3.1',
      verdict: 'pass',
      metrics,
      thresholds: checkThresholds(metrics, [{ metric: 'trajectory_in_order', op: '>=', value: 0.9 }]),
    })
    expect(text).toBe('2.3.1: trajectory_in_order 1.00 (0.76–1.00), gate passed')
  })
})

describe('score drops', async () => {
  const { scoreDrop } = await import('./score-drop.js')
  it('alerts on a significant, sizeable drop of the pass rate, not on noise or small samples', () => {
    expect(
      scoreDrop(
        'user_feedback',
        { n: 40, mean: 0.5, variance: 0.25, passes: 20, passable: 40 },
        { n: 400, mean: 0.9, variance: 0.09, passes: 360, passable: 400 },
      ),
    ).toMatchObject({ metric: 'score_pass_rate', observed: 0.5, expected: 0.9 })
    expect(
      scoreDrop(
        'user_feedback',
        { n: 40, mean: 0.85, variance: 0.1, passes: 34, passable: 40 },
        { n: 400, mean: 0.9, variance: 0.09, passes: 360, passable: 400 },
      ),
    ).toBeNull()
    expect(
      scoreDrop(
        'user_feedback',
        { n: 5, mean: 0, variance: 0, passes: 0, passable: 5 },
        { n: 400, mean: 0.9, variance: 0.09, passes: 360, passable: 400 },
      ),
    ).toBeNull()
  })

  it('uses the mean when the score has no pass rule', () => {
    const drop = scoreDrop(
      'judge',
      { n: 30, mean: 0.5, variance: 0.01, passes: 0, passable: 0 },
      { n: 300, mean: 0.8, variance: 0.01, passes: 0, passable: 0 },
    )
    expect(drop).toMatchObject({ metric: 'score_mean', observed: 0.5, expected: 0.8 })
    expect(drop!.summary).toContain("Welch's t-test")
  })
})
