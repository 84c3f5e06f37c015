/**
 * @module eval/gate
 * The statistics of the evaluation gate (`sightline eval run`): per-metric estimates over a suite's
 * case runs with 95 % intervals, thresholds, the comparison with the last accepted release, and the
 * verdict. Every run of every case is one observation; runs of one case are treated as independent
 * (stated in each method), which is what a suite of replayed cases can honestly claim.
 */
import type {
  BaselineComparison,
  EvalRunReport,
  GateMetric,
  MetricEstimate,
  RunVerdict,
  ThresholdResult,
} from '@sightline/schema'
import { GateMetricSchema } from '@sightline/schema'
import { meanInterval, twoProportionTest, welchTTest, wilsonInterval } from '../stats/inference.js'

/** One scored run of one case: its verdict and the metrics measured on it. */
export interface CaseRunMetrics {
  caseId: string
  verdict: RunVerdict
  metrics: Partial<Record<GateMetric, number>>
}

export interface Threshold {
  metric: GateMetric
  op: '>=' | '>' | '<=' | '<'
  value: number
}

/** `trajectory_in_order>=0.9` → a threshold; a message naming what is wrong otherwise. */
export function parseThreshold(text: string): Threshold | string {
  const match = /^\s*([a-z_]+)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
  if (!match) return `threshold ${JSON.stringify(text)} is not <metric><op><number>, e.g. trajectory_in_order>=0.9`
  const metric = GateMetricSchema.safeParse(match[1])
  if (!metric.success)
    return `unknown metric ${match[1]} in ${JSON.stringify(text)}; metrics: ${GateMetricSchema.options.join(', ')}`
  return { metric: metric.data, op: match[2] as Threshold['op'], value: Number(match[3]) }
}

const isBinary = (values: readonly number[]) => values.every((v) => v === 0 || v === 1)

function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
}

/** Mean of one metric with its 95 % interval: Wilson for 0/1 values, Student t otherwise (clamped to [0, 1]). */
export function estimateMetric(metric: GateMetric, values: readonly number[]): MetricEstimate {
  const n = values.length
  if (n === 0)
    return { metric, n: 0, mean: null, sd: null, ciLow: null, ciHigh: null, method: 'not measured on any case run' }
  const sd = sampleSd(values)
  if (isBinary(values)) {
    const successes = values.filter((v) => v === 1).length
    const w = wilsonInterval(successes, n)
    return {
      metric,
      n,
      mean: w.estimate,
      sd,
      ciLow: w.ciLow,
      ciHigh: w.ciHigh,
      method: `Wilson 95% interval over ${n} case runs (${successes} at 1; runs of a case taken as independent)`,
    }
  }
  const mean = values.reduce((s, v) => s + v, 0) / n
  const t = meanInterval({ n, mean, variance: (sd ?? 0) ** 2 })
  const clamp = (v: number | null) => (v === null ? null : Math.min(1, Math.max(0, v)))
  return {
    metric,
    n,
    mean,
    sd,
    ciLow: clamp(t.ciLow),
    ciHigh: clamp(t.ciHigh),
    method:
      `mean with a Student-t 95% interval over ${n} case runs, clamped to [0, ` +
      `1] (runs of a case taken as independent)`,
  }
}

/**
 * Estimates of every metric measured on the scored runs (pass and fail; errors and unverifiable runs measure nothing).
 */
export function estimateSuite(runs: readonly CaseRunMetrics[]): MetricEstimate[] {
  const scored = runs.filter((r) => r.verdict === 'pass' || r.verdict === 'fail')
  return GateMetricSchema.options
    .map((metric) =>
      estimateMetric(
        metric,
        scored.map((r) => r.metrics[metric]).filter((v): v is number => v !== undefined),
      ),
    )
    .filter((e) => e.n > 0)
}

const compare = (actual: number, t: Threshold) =>
  t.op === '>='
    ? actual >= t.value
    : t.op === '>'
      ? actual > t.value
      : t.op === '<='
        ? actual <= t.value
        : actual < t.value

/** Each threshold against the metric's mean; an unmeasured metric fails its threshold (fail closed). */
export function checkThresholds(
  estimates: readonly MetricEstimate[],
  thresholds: readonly Threshold[],
): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = estimates.find((e) => e.metric === t.metric)?.mean ?? null
    return { metric: t.metric, op: t.op, value: t.value, actual, passed: actual !== null && compare(actual, t) }
  })
}

/**
 * current − baseline per metric both runs measured: two-proportion z-test for 0/1 metrics, Welch's t-test otherwise.
 */
export function compareWithBaseline(
  current: readonly MetricEstimate[],
  baseline: readonly MetricEstimate[],
): BaselineComparison[] {
  const out: BaselineComparison[] = []
  for (const c of current) {
    const b = baseline.find((e) => e.metric === c.metric)
    if (!b || b.mean === null || c.mean === null) continue
    const binary = c.method.startsWith('Wilson') && b.method.startsWith('Wilson')
    const test = binary
      ? twoProportionTest(Math.round(b.mean * b.n), b.n, Math.round(c.mean * c.n), c.n)
      : welchTTest(
          { n: b.n, mean: b.mean, variance: (b.sd ?? 0) ** 2 },
          { n: c.n, mean: c.mean, variance: (c.sd ?? 0) ** 2 },
        )
    const regressed = test.pValue !== null && test.pValue < 0.05 && test.ciHigh !== null && test.ciHigh < 0
    out.push({
      metric: c.metric,
      baseline: b.mean,
      current: c.mean,
      diff: test.estimate,
      ciLow: test.ciLow,
      ciHigh: test.ciHigh,
      pValue: test.pValue,
      method: binary
        ? 'two-proportion z-test (pooled SE), Newcombe 95% CI for current − baseline'
        : "Welch's t-test, 95% CI for current − baseline",
      regressed,
    })
  }
  return out
}

/**
 * The gate's verdict. A suite that could not be run completely is not judged: a harness error
 * wins (2), then an unverifiable run (3); otherwise a missed threshold or a significant drop against
 * the accepted release is a regression (1).
 */
export function gateVerdict(
  caseVerdicts: readonly RunVerdict[],
  thresholds: readonly ThresholdResult[],
  comparisons: readonly BaselineComparison[],
): RunVerdict {
  if (caseVerdicts.length === 0 || caseVerdicts.includes('error')) return 'error'
  if (caseVerdicts.includes('unverifiable')) return 'unverifiable'
  if (thresholds.some((t) => !t.passed) || comparisons.some((c) => c.regressed)) return 'fail'
  return 'pass'
}

const fixed = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2))

/** "2.3.1: trajectory_in_order 0.96 (0.91–0.99), pass_rate 1.00 (0.72–1.00), gate passed". */
export function gateSummary(report: Pick<EvalRunReport, 'release' | 'verdict' | 'metrics' | 'thresholds'>): string {
  const shown = report.thresholds.length
    ? report.metrics.filter((m) => report.thresholds.some((t) => t.metric === m.metric))
    : report.metrics
  const metrics = shown.map((m) => `${m.metric} ${fixed(m.mean)} (${fixed(m.ciLow)}–${fixed(m.ciHigh)})`).join(', ')
  const words: Record<RunVerdict, string> = {
    pass: 'gate passed',
    fail: 'gate failed',
    error: 'harness error, not judged',
    unverifiable: 'unverifiable, not judged',
  }
  return `${report.release || '(unknown release)'}: ${metrics || 'no metrics'}, ${words[report.verdict]}`
}
