import { createHash } from 'node:crypto'
import { AlertStateMachine, type Transition, type Verdict } from './alert-state.js'
import type { DetectorConfig } from './config.js'
import {
  judgeCusum,
  judgeHour,
  judgeWindow,
  SERIES_METRICS,
  type SeriesMetric,
  type Signal,
  type WindowObservation,
} from './rules.js'
import { evaluationClock, windowSum, type SeriesSnapshot } from './snapshot.js'

/**
 * Turns series snapshots into anomaly episodes. Three detectors feed three state machines:
 * - fast (`spike`): every evaluation, sliding 5-min window vs same-time-of-day slots;
 * - CUSUM (`level_shift`): once per closed 5-min bucket, on its seasonal residual;
 * - hourly (`level_shift`): once per closed hour, seasonal ratio vs the same hour on prior days.
 * A level-shift episode does not open while a spike episode of the same series and metric is
 * open: one incident, one notification.
 */
type SeriesKind = 'spike' | 'level_shift'
/** Which detector found an episode (persisted, so a restart resumes it in the same one). */
export type SeriesTier = 'fast' | 'cusum' | 'hourly' | 'coldstart'

export interface SeriesEvent {
  transition: Transition<Signal>
  kind: SeriesKind
  tier: SeriesTier
  projectId: string
  dimType: string
  dimValue: string
  metric: SeriesMetric
  atMs: number
  /**
   * When the episode's signal began, when the tier knows better than its first breach (cold start: its window's start).
   */
  onsetMs?: number
}

export interface SeriesKey {
  projectId: string
  dimType: string
  dimValue: string
  metric: SeriesMetric
}

const SEP = '\u0000'
export const keyOf = (k: SeriesKey) => [k.projectId, k.dimType, k.dimValue, k.metric].join(SEP)
export function parseKey(key: string): SeriesKey {
  const [projectId = '', dimType = '', dimValue = '', metric = 'cost'] = key.split(SEP)
  return { projectId, dimType, dimValue, metric: metric as SeriesMetric }
}

export function episodeId(tier: string, key: string, startedAtMs: number): string {
  return createHash('sha256').update(`${tier}${SEP}${key}${SEP}${startedAtMs}`).digest('hex').slice(0, 32)
}

export class SeriesEvaluator {
  readonly fast: AlertStateMachine<Signal>
  readonly hourly: AlertStateMachine<Signal>
  readonly cusum: AlertStateMachine<Signal>
  private readonly cusumSums = new Map<string, { sum: number; prevMs: number }>()

  constructor(private readonly config: DetectorConfig) {
    this.fast = new AlertStateMachine(
      { confirmations: config.confirmations, recoveryEvaluations: config.recoveryEvaluations },
      (k, t) => episodeId('fast', k, t),
    )
    this.hourly = new AlertStateMachine(
      { confirmations: config.hourlyConfirmations, recoveryEvaluations: config.hourlyRecoveryEvaluations },
      (k, t) => episodeId('hourly', k, t),
    )
    this.cusum = new AlertStateMachine({ confirmations: 1, recoveryEvaluations: config.recoveryEvaluations }, (k, t) =>
      episodeId('cusum', k, t),
    )
  }

  /** Fast tier and CUSUM; call every evaluation with the snapshots of the sliding window. */
  evaluateWindow(snapshots: readonly SeriesSnapshot[], nowMs: number): SeriesEvent[] {
    const clock = evaluationClock(nowMs, this.config)
    const events: SeriesEvent[] = []
    const seen = new Set<string>()
    const traceP95 = projectTraceP95(snapshots)
    for (const s of snapshots) {
      if (nowMs - s.firstSeenMs < this.config.minHistoryMs) continue
      for (const metric of SERIES_METRICS) {
        const key = keyOf({ ...s, metric })
        seen.add(key)
        const observation = this.observe(s, metric, clock.fraction)
        if (metric === 'latency_p95')
          observation.minExcess = latencyRelevanceFloor(s.dimType, traceP95.get(s.projectId), this.config)
        const verdict = judgeWindow(observation, this.config)
        this.push(events, this.fast.feed(key, nowMs, verdict), 'fast', key, nowMs)
        if (metric === 'cost' || metric === 'tokens') this.feedCusum(events, s, metric, key, clock.prevMs, nowMs)
      }
    }
    // A series that vanished from the snapshot (no traffic at all) is clear.
    for (const key of this.fast.openKeys())
      if (!seen.has(key)) this.push(events, this.fast.feed(key, nowMs, clearVerdict()), 'fast', key, nowMs)
    return events
  }

  /** Hourly tier; call once per closed hour with snapshots built with `hourlyConfig()`. */
  evaluateHour(snapshots: readonly SeriesSnapshot[], nowMs: number): SeriesEvent[] {
    const events: SeriesEvent[] = []
    const seen = new Set<string>()
    for (const s of snapshots) {
      if (nowMs - s.firstSeenMs < this.config.minHistoryMs) continue
      for (const metric of ['cost', 'tokens'] as const) {
        const key = keyOf({ ...s, metric })
        seen.add(key)
        const floor = metric === 'cost' ? this.config.floors.cost : this.config.floors.tokens
        const verdict = this.suppressed(
          key,
          judgeHour(s.prev[metric], s[metric], floor, this.config.hourly),
          this.cusum,
        )
        this.push(events, this.hourly.feed(key, nowMs, verdict), 'hourly', key, nowMs)
      }
    }
    for (const key of this.hourly.openKeys())
      if (!seen.has(key)) this.push(events, this.hourly.feed(key, nowMs, clearVerdict()), 'hourly', key, nowMs)
    return events
  }

  private observe(s: SeriesSnapshot, metric: SeriesMetric, fraction: number): WindowObservation {
    const typicalRequests = s.calls.median
    if (metric === 'latency_p95') {
      return {
        metric,
        observed: s.windowP95,
        requests: s.cur.calls + s.prev.calls,
        baseline: s.latencyP95,
        typicalRequests,
      }
    }
    if (metric === 'error_rate') {
      const requests = windowSum(s, 'calls', fraction)
      const observed = requests > 0 ? windowSum(s, 'errors', fraction) / requests : 0
      return { metric, observed, requests, baseline: s.errorRate, typicalRequests, baselineRate: s.pooledErrorRate }
    }
    return {
      metric,
      observed: windowSum(s, metric, fraction),
      requests: windowSum(s, 'calls', fraction),
      baseline: s[metric],
      typicalRequests,
    }
  }

  private feedCusum(
    events: SeriesEvent[],
    s: SeriesSnapshot,
    metric: 'cost' | 'tokens',
    key: string,
    prevMs: number,
    nowMs: number,
  ): void {
    const state = this.cusumSums.get(key)
    if (state?.prevMs === prevMs) return
    if (s.calls.median < this.config.fast.minTypicalCount) return
    const { sum, verdict } = judgeCusum(
      state?.sum ?? 0,
      s.prev[metric],
      s[metric],
      this.config.fast.relativeScaleFloor,
      this.config.cusum,
    )
    const transition = this.cusum.feed(key, nowMs, this.suppressed(key, verdict, this.hourly))
    this.cusumSums.set(key, { sum: transition?.type === 'resolved' ? 0 : sum, prevMs })
    this.push(events, transition, 'cusum', key, nowMs)
  }

  /** No level-shift episode opens while a spike (or the other level-shift detector) already covers the series. */
  private suppressed(key: string, verdict: Verdict<Signal>, sibling: AlertStateMachine<Signal>): Verdict<Signal> {
    return this.fast.isOpen(key) || sibling.isOpen(key) ? { ...verdict, breach: false } : verdict
  }

  private push(
    events: SeriesEvent[],
    transition: Transition<Signal> | undefined,
    tier: SeriesTier,
    key: string,
    atMs: number,
  ): void {
    if (transition)
      events.push({ transition, kind: tier === 'fast' ? 'spike' : 'level_shift', tier, ...parseKey(key), atMs })
  }
}

export function clearVerdict(): Verdict<Signal> {
  return { breach: false, clear: true, payload: { observed: 0, expected: 0, score: 0, severity: 'warning' } }
}

/** Each project's trace p95 over the current window (its `total` series). */
export function projectTraceP95(snapshots: readonly SeriesSnapshot[]): Map<string, number> {
  return new Map(
    snapshots
      .filter((s) => s.dimType === 'total' && Number.isFinite(s.windowP95))
      .map((s) => [s.projectId, s.windowP95]),
  )
}

/** Calls (tools, models) must move their runs to matter; everything else keeps the metric's floor. */
export function latencyRelevanceFloor(dimType: string, traceP95Ms: number | undefined, config: DetectorConfig): number {
  return (dimType === 'tool' || dimType === 'model') && traceP95Ms !== undefined
    ? config.latencyRelevance * traceP95Ms
    : 0
}

/** The hourly tier reads the same snapshot query with 1-hour buckets and the same hour on prior days. */
export function hourlyConfig(config: DetectorConfig): DetectorConfig {
  return { ...config, bucketMs: 3_600_000, slotRadius: 0 }
}
