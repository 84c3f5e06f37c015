/**
 * @module eval/score-drop
 * A score dropping: the last window against the baseline before it, per project and score name.
 * Pass rates (when the score has a pass rule) by a two-proportion z-test, otherwise means by
 * Welch's t-test; an alert needs enough scores on both sides, significance (p < 0.01) and a drop
 * that matters (at least 10 % of the baseline), so noise on a handful of reviews never pages.
 */
import { twoProportionTest, welchTTest } from '../stats/inference.js'

export interface ScoreWindow {
  /** Scores with a value (errors left out). */
  n: number
  mean: number | null
  variance: number | null
  /** Values that pass and values that have a pass rule. */
  passes: number
  passable: number
}

export interface ScoreDropRule {
  minScores: number
  maxPValue: number
  minRelativeDrop: number
}

export const DEFAULT_SCORE_DROP_RULE: ScoreDropRule = { minScores: 20, maxPValue: 0.01, minRelativeDrop: 0.1 }

export interface ScoreDrop {
  metric: 'score_pass_rate' | 'score_mean'
  observed: number
  expected: number
  pValue: number
  /** How many times below the baseline, as a ratio ≥ 1, for the anomaly's score. */
  ratio: number
  summary: string
}

/** The drop, or null when there is none worth an alert. */
export function scoreDrop(
  name: string,
  current: ScoreWindow,
  baseline: ScoreWindow,
  rule: ScoreDropRule = DEFAULT_SCORE_DROP_RULE,
): ScoreDrop | null {
  const usePassRate = current.passable >= rule.minScores && baseline.passable >= rule.minScores
  if (usePassRate) {
    const observed = current.passes / current.passable
    const expected = baseline.passes / baseline.passable
    const t = twoProportionTest(baseline.passes, baseline.passable, current.passes, current.passable)
    if (!dropped(observed, expected, t.pValue, rule)) return null
    return {
      metric: 'score_pass_rate',
      observed,
      expected,
      pValue: t.pValue!,
      ratio: ratioOf(observed, expected),
      summary:
        `${name} pass rate ${pct(observed)} over the last hour, ` +
        `against ${pct(expected)} before (${current.passable} vs ${baseline.passable} scores, ` +
        `two-proportion z-test p ${p(t.pValue!)})`,
    }
  }
  if (current.n < rule.minScores || baseline.n < rule.minScores || current.mean === null || baseline.mean === null)
    return null
  const t = welchTTest(
    { n: baseline.n, mean: baseline.mean, variance: baseline.variance ?? 0 },
    { n: current.n, mean: current.mean, variance: current.variance ?? 0 },
  )
  if (!dropped(current.mean, baseline.mean, t.pValue, rule)) return null
  return {
    metric: 'score_mean',
    observed: current.mean,
    expected: baseline.mean,
    pValue: t.pValue!,
    ratio: ratioOf(current.mean, baseline.mean),
    summary:
      `${name} mean ${current.mean.toFixed(2)} over the last hour, against ${baseline.mean.toFixed(2)} before ` +
      `(${current.n} vs ${baseline.n} scores, Welch's t-test p ${p(t.pValue!)})`,
  }
}

function dropped(observed: number, expected: number, pValue: number | null, rule: ScoreDropRule): boolean {
  if (pValue === null || pValue >= rule.maxPValue || observed >= expected) return false
  return expected === 0 ? false : (expected - observed) / Math.abs(expected) >= rule.minRelativeDrop
}

const ratioOf = (observed: number, expected: number) => (observed > 0 ? expected / observed : expected > 0 ? 99 : 1)
const pct = (v: number) => `${(v * 100).toFixed(0)} %`
const p = (v: number) => (v < 0.001 ? '< 0.001' : `= ${v.toFixed(3)}`)
