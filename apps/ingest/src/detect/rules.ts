import type { CusumRules, DetectorConfig, FastTierRules, HourlyTierRules } from './config.js'
import { binomialUpperTail, cusumStep, robustScale, type Baseline } from './robust.js'
import type { Verdict } from './alert-state.js'

/**
 * The decision rules, as pure functions of an observation and its seasonal baseline. Production
 * (ClickHouse baselines) and the benchmark (the same baselines computed in TS, proven equal by
 * `test/detect/baseline-sql.test.ts`) both call these.
 */
export const SERIES_METRICS = ['cost', 'tokens', 'latency_p95', 'error_rate'] as const
export type SeriesMetric = (typeof SERIES_METRICS)[number]

export interface Signal {
  observed: number
  expected: number
  score: number
  severity: 'warning' | 'critical'
}

export interface WindowObservation {
  metric: SeriesMetric
  observed: number
  /** Requests in the window (latency and error rate need a minimum). */
  requests: number
  baseline: Baseline
  /** Median 5-min request count of the baseline slots: how busy this series usually is. */
  typicalRequests: number
  /** Error rate only: the pooled baseline rate the binomial test uses. */
  baselineRate?: number
  /** A larger minimum excess than the metric's floor (latency of calls: see `latencyRelevance`). */
  minExcess?: number
}

const quiet = (observed: number, expected: number): Verdict<Signal> => ({
  breach: false,
  clear: true,
  payload: { observed, expected, score: 0, severity: 'warning' },
})

function floorFor(metric: SeriesMetric, config: DetectorConfig): number {
  const f = config.floors
  return metric === 'cost'
    ? f.cost
    : metric === 'tokens'
      ? f.tokens
      : metric === 'latency_p95'
        ? f.latencyMs
        : f.errorRate
}

/** Fast tier: seasonal robust z of a 5-min window, with a minimum absolute excess. */
export function judgeWindow(obs: WindowObservation, config: DetectorConfig): Verdict<Signal> {
  const rules: FastTierRules = config.fast
  const { observed, baseline } = obs
  const expected = baseline.median
  if (baseline.points === 0 || !Number.isFinite(expected)) return quiet(observed, expected)
  // Too little traffic to judge gates the breach only: an open episode can still clear.
  const eligible =
    obs.typicalRequests >= rules.minTypicalCount &&
    !(obs.metric === 'latency_p95' && obs.requests < config.minRequestsLatency) &&
    !(obs.metric === 'error_rate' && obs.requests < config.minRequestsErrorRate)
  const floor = Math.max(floorFor(obs.metric, config), obs.minExcess ?? 0)
  if (obs.metric === 'error_rate') return judgeErrorRate(obs, floor, eligible, config)
  const scale = robustScale(baseline, rules.relativeScaleFloor, 1e-9)
  const z = (observed - expected) / scale
  const excess = observed - expected
  const minExcess = Math.max(rules.minExcessRatio * Math.abs(expected), floor)
  const breach = eligible && z > rules.zOpen && excess >= minExcess
  const lower = expected + Math.max(rules.zClear * scale, rules.clearExcessRatio * Math.abs(expected))
  const score = round(z)
  return {
    breach,
    clear: observed < lower,
    payload: { observed, expected, score, severity: z > 2 * rules.zOpen ? 'critical' : 'warning' },
  }
}

/**
 * Error rate: binomial test of the window's errors against the pooled baseline rate (floored at
 * 0.5 % so a clean history does not make one error an incident), plus the absolute floor.
 */
function judgeErrorRate(
  obs: WindowObservation,
  floor: number,
  eligible: boolean,
  config: DetectorConfig,
): Verdict<Signal> {
  const n = Math.round(obs.requests)
  const p0 = Math.max(Number.isFinite(obs.baselineRate) ? (obs.baselineRate as number) : obs.baseline.median, 0.005)
  const errors = Math.round(obs.observed * obs.requests)
  const tail = binomialUpperTail(errors, n, p0)
  const sd = Math.sqrt((p0 * (1 - p0)) / Math.max(n, 1))
  const z = (obs.observed - p0) / sd
  const breach = eligible && tail < config.errorTailProbability && obs.observed - p0 >= floor
  const clear = tail > 0.01 || obs.observed - p0 < floor / 2
  return {
    breach,
    clear,
    payload: {
      observed: obs.observed,
      expected: p0,
      score: round(z),
      severity: tail < config.errorTailProbability / 1000 ? 'critical' : 'warning',
    },
  }
}

/** Hourly tier: seasonal ratio of the last closed hour, for level shifts and sparse series. */
export function judgeHour(
  observed: number,
  baseline: Baseline,
  floor: number,
  rules: HourlyTierRules,
): Verdict<Signal> {
  const expected = baseline.median
  if (baseline.points === 0 || !Number.isFinite(expected)) return quiet(observed, expected)
  const scale = robustScale(baseline, rules.relativeScaleFloor, floor / 2)
  const z = (observed - expected) / scale
  const ratio = expected > 0 ? observed / expected : observed > 0 ? Number.POSITIVE_INFINITY : 1
  const breach = ratio > rules.ratioOpen && z > rules.zOpen && observed - expected >= floor
  return {
    breach,
    clear: ratio < rules.ratioClear,
    payload: { observed, expected, score: round(z), severity: ratio > 3 ? 'critical' : 'warning' },
  }
}

/** CUSUM on the seasonal residual of each closed 5-min bucket. Returns the new sum and a verdict. */
export function judgeCusum(
  previous: number,
  observed: number,
  baseline: Baseline,
  relativeScaleFloor: number,
  rules: CusumRules,
): { sum: number; verdict: Verdict<Signal> } {
  const expected = baseline.median
  if (baseline.points === 0 || !Number.isFinite(expected)) return { sum: 0, verdict: quiet(observed, expected) }
  const scale = robustScale(baseline, relativeScaleFloor, 1e-9)
  const residual = Math.max(-rules.clip, Math.min(rules.clip, (observed - expected) / scale))
  const sum = Math.min(cusumStep(previous, residual, rules.slack), 2 * rules.threshold)
  return {
    sum,
    verdict: {
      breach: sum > rules.threshold,
      clear: residual < rules.slack,
      payload: { observed, expected, score: round(sum), severity: 'warning' },
    },
  }
}

const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 100) / 100 : value > 0 ? 1e9 : -1e9)
