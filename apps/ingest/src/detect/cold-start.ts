import { AlertStateMachine, type Transition } from './alert-state.js'
import type { DetectorConfig } from './config.js'
import { judgeSeriesMinutes, type MinuteRow, type MinuteSeries } from './cold-start-rules.js'
import { SERIES_METRICS, type Signal } from './rules.js'
import {
  clearVerdict,
  episodeId,
  keyOf,
  latencyRelevanceFloor,
  parseKey,
  type SeriesEvent,
} from './series-evaluator.js'

/**
 * The cold-start tier: series younger than `minHistoryMs` (a new install, a new model or agent)
 * are judged every evaluation against their own last hours, minute by minute, with the fast tier's
 * confirmation and recovery counts. Hand-over: once a series has a day of history the seasonal
 * tiers judge it (SeriesEvaluator skips younger ones); an episode this tier opened is still
 * followed here until it recovers, so it is neither cut short nor reported twice.
 * One exception on purpose: a tool's error rate stays on this tier for good. A dependency failing
 * for a few minutes is news against the last hours whatever the time of day, and the seasonal
 * 5-minute window, fed with yesterday's same minutes, has too little power for a 3-minute burst.
 * Episodes are `spike`s of tier `coldstart`.
 */
export type ColdScope = 'all' | 'error_rate'
export class ColdStartEvaluator {
  readonly machine: AlertStateMachine<Signal>
  /** Where each pending or open episode froze its baseline (the window start at the first breach). */
  private readonly freezeAt = new Map<string, number>()
  /** When each pending or open episode began: the newest minute of the window that first breached. */
  private readonly onsetAt = new Map<string, number>()

  constructor(private readonly config: DetectorConfig) {
    this.machine = new AlertStateMachine(
      { confirmations: config.confirmations, recoveryEvaluations: config.recoveryEvaluations },
      (k, t) => episodeId('coldstart', k, t),
    )
  }

  /** Series keys (without metric) whose episodes are open here: they stay on this tier until they recover. */
  openSeriesKeys(): string[] {
    return [...new Set(this.machine.openKeys().map((key) => key.slice(0, key.lastIndexOf('\u0000'))))]
  }

  /**
   * `scopeOf` says which metrics of a series this tier judges (young series: all); open episodes are always followed.
   */
  evaluate(
    series: readonly MinuteSeries[],
    nowMs: number,
    scopeOf: (s: MinuteSeries) => ColdScope = () => 'all',
    traceP95: ReadonlyMap<string, number> = new Map(),
  ): SeriesEvent[] {
    const events: SeriesEvent[] = []
    const seen = new Set<string>()
    for (const s of series) {
      const scope = scopeOf(s)
      for (const metric of SERIES_METRICS) {
        const key = keyOf({ ...s, metric })
        if (scope !== 'all' && metric !== scope && !this.machine.isOpen(key)) continue
        const relevance =
          metric === 'latency_p95' ? latencyRelevanceFloor(s.dimType, traceP95.get(s.projectId), this.config) : 0
        const judged = judgeSeriesMinutes(s, metric, nowMs, this.config, this.freezeAt.get(key), relevance)
        if (!judged) continue
        seen.add(key)
        const { verdict } = judged
        if (verdict.breach && !this.freezeAt.has(key)) {
          this.freezeAt.set(key, judged.windowStartMs)
          this.onsetAt.set(key, judged.onsetMs)
        }
        const transition = this.machine.feed(key, nowMs, verdict)
        this.push(events, transition, key, nowMs)
        if (!verdict.breach && !this.machine.isOpen(key)) this.forget(key)
      }
    }
    // An open series that has no judgeable minutes any more (its traffic stopped) is clear.
    for (const key of this.machine.openKeys()) {
      if (seen.has(key)) continue
      this.push(events, this.machine.feed(key, nowMs, clearVerdict()), key, nowMs)
      if (!this.machine.isOpen(key)) this.forget(key)
    }
    return events
  }

  private forget(key: string): void {
    this.freezeAt.delete(key)
    this.onsetAt.delete(key)
  }

  private push(events: SeriesEvent[], transition: Transition<Signal> | undefined, key: string, atMs: number): void {
    const onsetMs = this.onsetAt.get(key)
    if (transition)
      events.push({
        transition,
        kind: 'spike',
        tier: 'coldstart',
        ...parseKey(key),
        atMs,
        ...(onsetMs === undefined ? {} : { onsetMs }),
      })
  }
}

/** Rows of the minute query (any order) → one series per key, with its first-seen time. */
export function groupMinutes(
  rows: ReadonlyArray<MinuteRow & { projectId: string; dimType: string; dimValue: string; firstMs: number }>,
): MinuteSeries[] {
  const byKey = new Map<string, MinuteSeries>()
  for (const row of rows) {
    const key = `${row.projectId}\u0000${row.dimType}\u0000${row.dimValue}`
    let series = byKey.get(key)
    if (!series)
      byKey.set(
        key,
        (series = {
          projectId: row.projectId,
          dimType: row.dimType,
          dimValue: row.dimValue,
          firstSeenMs: row.firstMs,
          minutes: [],
        }),
      )
    series.firstSeenMs = Math.min(series.firstSeenMs, row.firstMs)
    const { projectId: _p, dimType: _t, dimValue: _v, firstMs: _f, ...minute } = row
    series.minutes.push(minute)
  }
  return [...byKey.values()]
}
