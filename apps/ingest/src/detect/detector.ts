import { createHash } from 'node:crypto'
import type { Anomaly } from '@sightline/schema'
import type { Store } from '../db/client.js'
import type { Logger } from '../logger.js'
import type { AnomalyRepository, StoredAnomaly } from './anomaly-repository.js'
import type { ScoreAnalyticsRepository } from '../db/repositories/score-analytics.js'
import type { ScoreConfigRepository } from '../db/repositories/score-configs.js'
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from './config.js'
import { hourlyConfig, SeriesEvaluator, type SeriesEvent } from './series-evaluator.js'
import { DEFAULT_RELEASE_LATENCY_CONFIG, findReleaseLatencyRegressions, releaseLatencyKey, type ReleaseLatencyConfig } from './release-latency.js'
import { findScoreDrops, scoreDropKey } from './score-drops.js'
import { querySnapshots } from './series-sql.js'
import { sampleTraces } from './trace-sample.js'
import { AgentStatsCache, DEFAULT_TRAJECTORY_CONFIG, findTrajectoryAnomalies, type TrajectoryConfig, type TrajectoryFinding } from './trajectory.js'
import type { AlertNotifier } from './webhooks.js'

export interface EvaluationResult {
  opened: Anomaly[]
  resolved: Anomaly[]
}

const iso = (ms: number) => new Date(ms).toISOString()
const SEP = '\u0000'

/**
 * One evaluation = series (ClickHouse snapshots → SeriesEvaluator) + trajectories (bounded span
 * queries). Episodes are persisted on every change and notified once when they open and once when
 * they resolve. `evaluate(now)` takes the clock as an argument: the scheduler passes Date.now(),
 * tests pass whatever time their data needs.
 */
export class AnomalyDetector {
  private readonly series: SeriesEvaluator
  private readonly agentStats = new AgentStatsCache()
  /** Open series episodes by episode id; open trajectory episodes by project + finding key. */
  private readonly openSeries = new Map<string, StoredAnomaly>()
  private readonly openTrajectories = new Map<string, StoredAnomaly>()
  private lastHour = Number.NaN
  private restored = false

  constructor(
    private readonly store: Store,
    private readonly repository: AnomalyRepository,
    private readonly notifier: AlertNotifier,
    private readonly logger: Logger,
    private readonly config: DetectorConfig = DEFAULT_DETECTOR_CONFIG,
    private readonly trajectory: TrajectoryConfig = DEFAULT_TRAJECTORY_CONFIG,
    private readonly releaseLatency: ReleaseLatencyConfig = DEFAULT_RELEASE_LATENCY_CONFIG,
    /** Score drops (issue 14): production scores read from `scores`; unset, none are looked for. */
    private readonly scoreSeries?: { analytics: ScoreAnalyticsRepository; configs: ScoreConfigRepository },
  ) {
    this.series = new SeriesEvaluator(config)
  }

  async evaluate(nowMs: number): Promise<EvaluationResult> {
    if (!this.restored) await this.restore()
    const result: EvaluationResult = { opened: [], resolved: [] }
    const events = this.series.evaluateWindow(await querySnapshots(this.store, nowMs, this.config), nowMs)
    const hour = Math.floor(nowMs / 3_600_000)
    if (hour !== this.lastHour) {
      this.lastHour = hour
      events.push(...this.series.evaluateHour(await querySnapshots(this.store, nowMs, hourlyConfig(this.config)), nowMs))
    }
    for (const event of events) await this.applySeriesEvent(event, nowMs, result)
    const findings = [
      ...(await findTrajectoryAnomalies(this.store, nowMs, this.trajectory, this.agentStats)),
      ...(await findReleaseLatencyRegressions(this.store, nowMs, this.releaseLatency)),
      ...(this.scoreSeries ? await findScoreDrops(this.scoreSeries.analytics, this.scoreSeries.configs, nowMs) : []),
    ]
    await this.applyFindings(findings, nowMs, result)
    return result
  }

  /** Resumes open episodes after a restart, so they are neither re-notified nor left open forever. */
  private async restore(): Promise<void> {
    this.restored = true
    for (const anomaly of await this.repository.listOpen()) {
      const isReleaseLatency = anomaly.kind === 'level_shift' && anomaly.dimension === 'release' && anomaly.metric === 'latency_p95'
      if ((anomaly.kind === 'spike' || anomaly.kind === 'level_shift') && !isReleaseLatency) {
        const key = [anomaly.projectId, anomaly.dimension, anomaly.value, anomaly.metric].join(SEP)
        ;(anomaly.kind === 'spike' ? this.series.fast : this.series.cusum).restoreOpen(key, anomaly.id)
        this.openSeries.set(anomaly.id, anomaly)
      } else {
        const key = anomaly.dimension === 'tool' ? `tool-errors:${anomaly.value}` : isReleaseLatency ? releaseLatencyKey(anomaly.value) : anomaly.dimension === 'score' ? scoreDropKey(anomaly.value) : `id:${anomaly.id}`
        this.openTrajectories.set(`${anomaly.projectId}${SEP}${key}`, anomaly)
      }
    }
  }

  private async applySeriesEvent(event: SeriesEvent, nowMs: number, result: EvaluationResult): Promise<void> {
    const { transition } = event
    const signal = transition.payload
    if (transition.type === 'opened') {
      const fromMs = Math.min(transition.startedAtMs, nowMs) - this.config.bucketMs
      const anomaly: StoredAnomaly = {
        projectId: event.projectId,
        id: transition.episodeId,
        kind: event.kind,
        dimension: event.dimType as Anomaly['dimension'],
        value: event.dimValue,
        metric: event.metric,
        status: 'open',
        severity: signal.severity,
        startedAt: iso(transition.startedAtMs),
        lastSeenAt: iso(nowMs),
        endedAt: null,
        observed: signal.observed,
        expected: signal.expected,
        score: signal.score,
        traceIds: await sampleTraces(this.store, event.projectId, event.dimType, event.dimValue, event.metric, fromMs, nowMs),
        summary: seriesSummary(event),
      }
      this.openSeries.set(anomaly.id, anomaly)
      await this.persist(anomaly, 'opened', result)
      return
    }
    const anomaly = this.openSeries.get(transition.episodeId)
    if (!anomaly) return
    anomaly.lastSeenAt = iso(nowMs)
    if (transition.type === 'updated') {
      // Keep the peak: "how far from normal" is the worst point of the episode.
      if (signal.score > anomaly.score) Object.assign(anomaly, { observed: signal.observed, expected: signal.expected, score: signal.score, severity: signal.severity })
      await this.repository.upsert(anomaly)
      return
    }
    Object.assign(anomaly, { status: 'resolved', endedAt: iso(nowMs) })
    this.openSeries.delete(anomaly.id)
    await this.persist(anomaly, 'resolved', result)
  }

  private async applyFindings(findings: TrajectoryFinding[], nowMs: number, result: EvaluationResult): Promise<void> {
    const seen = new Set<string>()
    for (const finding of findings) {
      const stableId = finding.dimension === 'trace' ? hashId(finding.projectId, finding.key) : undefined
      const mapKey = `${finding.projectId}${SEP}${stableId ? `id:${stableId}` : finding.key}`
      if (seen.has(mapKey)) continue
      seen.add(mapKey)
      const existing = this.openTrajectories.get(mapKey)
      if (existing) {
        existing.lastSeenAt = iso(nowMs)
        if (finding.observed > existing.observed) Object.assign(existing, { observed: finding.observed, score: finding.score, summary: finding.summary })
        existing.traceIds = [...new Set([...existing.traceIds, ...finding.traceIds])].slice(0, 10)
        await this.repository.upsert(existing)
        continue
      }
      const anomaly: StoredAnomaly = {
        projectId: finding.projectId,
        id: stableId ?? hashId(finding.projectId, finding.key, String(nowMs)),
        kind: finding.kind,
        dimension: finding.dimension,
        value: finding.value,
        metric: finding.metric,
        status: 'open',
        severity: 'warning',
        startedAt: iso(nowMs),
        lastSeenAt: iso(nowMs),
        endedAt: null,
        observed: finding.observed,
        expected: finding.expected,
        score: finding.score,
        traceIds: finding.traceIds.slice(0, 10),
        summary: finding.summary,
      }
      if (stableId && (await this.repository.get(anomaly.projectId, stableId))) continue // already reported and resolved
      this.openTrajectories.set(mapKey, anomaly)
      await this.persist(anomaly, 'opened', result)
    }
    for (const [mapKey, anomaly] of this.openTrajectories) {
      if (seen.has(mapKey) || nowMs - Date.parse(anomaly.lastSeenAt) < this.trajectory.resolveAfterMs) continue
      Object.assign(anomaly, { status: 'resolved', endedAt: iso(nowMs) })
      this.openTrajectories.delete(mapKey)
      // Per-trace findings are events, not conditions: only the per-tool burst and a slow release get a recovery notice.
      await this.persist(anomaly, anomaly.dimension === 'tool' || anomaly.dimension === 'release' || anomaly.dimension === 'score' ? 'resolved' : undefined, result)
    }
  }

  private async persist(anomaly: StoredAnomaly, notify: 'opened' | 'resolved' | undefined, result: EvaluationResult): Promise<void> {
    await this.repository.upsert(anomaly)
    const { projectId, ...publicView } = anomaly
    if (notify) {
      this.notifier.notify(projectId, notify, publicView)
      result[notify].push(publicView)
      this.logger.info(`anomaly ${notify}`, { projectId, id: anomaly.id, kind: anomaly.kind, metric: anomaly.metric })
    } else {
      result.resolved.push(publicView)
    }
  }
}

function hashId(...parts: string[]): string {
  return createHash('sha256').update(parts.join(SEP)).digest('hex').slice(0, 32)
}

function seriesSummary(event: SeriesEvent): string {
  const where = event.dimType === 'total' ? 'the project total' : `${event.dimType} ${event.dimValue}`
  const { observed, expected } = event.transition.payload
  const ratio = expected > 0 ? `${(observed / expected).toFixed(1)}× the usual` : 'well above the usual'
  const what = event.kind === 'spike' ? 'Spike' : 'Level shift'
  const window = event.kind === 'spike' ? 'last 5 minutes' : 'recent hours'
  return `${what} in ${event.metric.replace('_', ' ')} for ${where}: ${ratio} for this time of day (${window})`
}
