/**
 * Detector thresholds. Defaults are the values the `bench:anomaly` harness was tuned with (see
 * BENCHMARKS.md, "Anomaly detection"); every one of them can be overridden per detector instance.
 */
export interface FastTierRules {
  /** Seasonal robust z above which a window breaches (design note: 5). */
  zOpen: number
  /** An open episode clears below median + max(zClear·scale, clearExcessRatio·median). */
  zClear: number
  clearExcessRatio: number
  /** Excess must be ≥ max(minExcessRatio × typical value, the metric's absolute floor). */
  minExcessRatio: number
  /** The z scale never drops below this fraction of the median (sparse / very regular series). */
  relativeScaleFloor: number
  /** Series whose typical 5-min request count is below this only use the hourly tier. */
  minTypicalCount: number
}

export interface HourlyTierRules {
  /** Hourly seasonal ratio above which an hour breaches (design note: 1.5). */
  ratioOpen: number
  ratioClear: number
  /** Hourly robust z must also exceed this, so Poisson noise on sparse series does not count. */
  zOpen: number
  relativeScaleFloor: number
}

export interface CusumRules {
  /** Slack k, in σ: tuned to shifts of ~1σ of a 5-min sum. */
  slack: number
  /** Decision interval h: alarm when S > h. */
  threshold: number
  /** Residuals are clipped so one spike (the fast tier's business) cannot trip CUSUM alone. */
  clip: number
}

/**
 * The cold-start tier: series younger than `minHistoryMs` have no seasonal baseline yet, so they
 * are judged against their own recent past, minute by minute (rolling median with a compound-Poisson
 * noise floor; binomial tests for error rate and latency exceedances). Confirmation, minimum excess,
 * absolute floors and hysteresis are the fast tier's.
 */
interface ColdStartRules {
  /** Minutes of recent history the baseline may use. */
  lookbackMinutes: number
  /**
   * The judged windows, in minutes (the last complete minutes): a short one reacts to a spike within
   * minutes, a longer one has the power for a moderate burst that the short one only glimpses. A
   * window breaches on its own; the series is clear when every window is. The shortest shrinks while
   * the series is very young; longer ones wait until they fit.
   */
  windowsMinutes: number[]
  /** Baseline minutes needed before anything is judged. */
  minBaselineMinutes: number
  /** Units (traces, calls) per minute a series typically has (baseline median) before it can breach. */
  minTypicalUnitsPerMinute: number
  /**
   * Error rate: P(failed traces ≥ observed | baseline share) below this breaches (the fast tier's
   * 1e-5 needs more requests than two minutes of a young series hold).
   */
  errorTailProbability: number
  /** Latency: the window's p95 must be this multiple of the baseline p95... */
  latencyMinRatio: number
  /** ...and its share of requests above the baseline p95 must be this improbable for a 5 % tail. */
  latencyTailProbability: number
}

interface MetricFloors {
  /** USD per 5 minutes. */
  cost: number
  tokens: number
  /** Milliseconds added to the p95. */
  latencyMs: number
  /** Error-rate points (0.05 = 5 percentage points). */
  errorRate: number
}

export interface DetectorConfig {
  bucketMs: number
  /** Prior days whose same-time slots form the baseline (1 … 7; ≥ minHistoryMs is required). */
  baselineDays: number
  /** Slots on each side of the time of day (3 × 5 min = ±15 min). */
  slotRadius: number
  minHistoryMs: number
  confirmations: number
  recoveryEvaluations: number
  hourlyConfirmations: number
  hourlyRecoveryEvaluations: number
  fast: FastTierRules
  hourly: HourlyTierRules
  cusum: CusumRules
  floors: MetricFloors
  /**
   * A tool's or a model's p95 must also rise by this share of the project's trace p95: a call
   * that goes from 4 ms to 300 ms inside runs of ten seconds changes nothing anyone notices.
   */
  latencyRelevance: number
  /** Latency and error-rate windows need at least this many requests. */
  minRequestsLatency: number
  minRequestsErrorRate: number
  /**
   * Error rate: a window breaches when P(errors ≥ observed | baseline rate) is below this
   * (binomial tail; 1e-5 ≈ a one-sided 4.3σ). A z-score on rates is far too optimistic for a few
   * dozen requests with a 2 % base rate.
   */
  errorTailProbability: number
  /** Users: the top K by 7-day spend get their own series, the rest are pooled as `(other users)`. */
  topUsers: number
  coldStart: ColdStartRules
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  bucketMs: 5 * 60_000,
  baselineDays: 7,
  slotRadius: 3,
  minHistoryMs: 24 * 3600_000,
  confirmations: 2,
  recoveryEvaluations: 3,
  hourlyConfirmations: 2,
  hourlyRecoveryEvaluations: 2,
  fast: {
    zOpen: 5,
    zClear: 2,
    clearExcessRatio: 0.25,
    minExcessRatio: 1,
    relativeScaleFloor: 0.05,
    minTypicalCount: 5,
  },
  hourly: { ratioOpen: 1.5, ratioClear: 1.2, zOpen: 3, relativeScaleFloor: 0.1 },
  cusum: { slack: 1, threshold: 10, clip: 3 },
  floors: { cost: 0.25, tokens: 5_000, latencyMs: 100, errorRate: 0.05 },
  latencyRelevance: 0.05,
  minRequestsLatency: 10,
  minRequestsErrorRate: 20,
  errorTailProbability: 1e-5,
  topUsers: 20,
  coldStart: {
    lookbackMinutes: 180,
    windowsMinutes: [2, 5],
    minBaselineMinutes: 2,
    minTypicalUnitsPerMinute: 1,
    errorTailProbability: 1e-4,
    latencyMinRatio: 1.5,
    latencyTailProbability: 1e-5,
  },
}

export const OTHER_USERS = '(other users)'
