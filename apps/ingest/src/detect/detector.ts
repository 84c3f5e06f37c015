import type { Anomaly } from '@sightline/schema'
import type { Store } from '../db/client.js'
import { minuteSeries, seriesKey } from '../db/repositories/detection.js'
import type { Logger } from '../logger.js'
import type { AnomalyRepository, StoredAnomaly } from '../db/repositories/anomalies.js'
import type { ScoreAnalyticsRepository } from '../db/repositories/score-analytics.js'
import type { ScoreConfigRepository } from '../db/repositories/score-configs.js'
import { ColdStartEvaluator, groupMinutes } from './cold-start.js'
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from './config.js'
import { hashId, seriesAnomaly, trajectoryAnomaly } from './findings.js'
import type { IncidentManager } from './incidents/incident-manager.js'
import {
  DEFAULT_RELEASE_LATENCY_CONFIG,
  findReleaseLatencyRegressions,
  releaseLatencyKey,
  type ReleaseLatencyConfig,
} from './release-latency.js'
import { findScoreDrops, scoreDropKey } from './score-drops.js'
import { hourlyConfig, projectTraceP95, SeriesEvaluator, type SeriesEvent } from './series-evaluator.js'
import { querySnapshots } from '../db/repositories/series-snapshots.js'
import type { SeriesSnapshot } from './snapshot.js'
import { sampleTraces } from '../db/repositories/trace-samples.js'
import {
  AgentStatsCache,
  DEFAULT_TRAJECTORY_CONFIG,
  findTrajectoryAnomalies,
  type TrajectoryConfig,
  type TrajectoryFinding,
} from './trajectory.js'

export interface EvaluationResult {
  opened: Anomaly[]
  resolved: Anomaly[]
  /** Wall-clock ms per phase (series, cold start, findings, trajectories, incidents), for logs and the benchmark. */
  phasesMs: Record<string, number>
}

const iso = (ms: number) => new Date(ms).toISOString()
const SEP = '\u0000'
const MIN = 60_000

/**
 * One evaluation = series (seasonal snapshots → SeriesEvaluator; young series → the cold-start
 * tier) + trajectories (resolved traces of a bounded window) + release comparisons. Every finding
 * is persisted as an anomaly and handed to the incident manager, which groups findings into
 * incidents and sends the alerts (per incident, never per finding). `evaluate(now)` takes the clock
 * as an argument: the scheduler passes Date.now(), tests and the fleet benchmark their own.
 */
export class AnomalyDetector {
  private readonly series: SeriesEvaluator
  readonly coldStart: ColdStartEvaluator
  private readonly agentStats = new AgentStatsCache()
  /** Open series episodes by episode id; open trajectory episodes by project + finding key. */
  private readonly openSeries = new Map<string, StoredAnomaly>()
  private readonly openTrajectories = new Map<string, StoredAnomaly>()
  private lastHour = Number.NaN
  private restored = false

  constructor(
    private readonly store: Store,
    private readonly repository: AnomalyRepository,
    private readonly incidents: IncidentManager,
    private readonly logger: Logger,
    private readonly config: DetectorConfig = DEFAULT_DETECTOR_CONFIG,
    private readonly trajectory: TrajectoryConfig = DEFAULT_TRAJECTORY_CONFIG,
    private readonly releaseLatency: ReleaseLatencyConfig = DEFAULT_RELEASE_LATENCY_CONFIG,
    /** Score drops (issue 14): production scores read from `scores`; unset, none are looked for. */
    private readonly scoreSeries?: { analytics: ScoreAnalyticsRepository; configs: ScoreConfigRepository },
  ) {
    this.series = new SeriesEvaluator(config)
    this.coldStart = new ColdStartEvaluator(config)
  }

  async evaluate(nowMs: number): Promise<EvaluationResult> {
    if (!this.restored) await this.restore()
    const result: EvaluationResult = { opened: [], resolved: [], phasesMs: {} }
    let mark = Date.now()
    const phase = (name: string) => {
      const at = Date.now()
      result.phasesMs[name] = at - mark
      mark = at
    }
    const snapshots = await querySnapshots(this.store, nowMs, this.config)
    const events = this.series.evaluateWindow(snapshots, nowMs)
    const hour = Math.floor(nowMs / 3_600_000)
    if (hour !== this.lastHour) {
      this.lastHour = hour
      events.push(
        ...this.series.evaluateHour(await querySnapshots(this.store, nowMs, hourlyConfig(this.config)), nowMs),
      )
    }
    phase('series')
    events.push(...(await this.evaluateColdStart(snapshots, nowMs)))
    phase('coldStart')
    for (const event of events) await this.applySeriesEvent(event, nowMs, result)
    phase('seriesFindings')
    const findings = [
      ...(await findTrajectoryAnomalies(this.store, nowMs, this.trajectory, this.agentStats)),
      ...(await findReleaseLatencyRegressions(this.store, nowMs, this.releaseLatency)),
      ...(this.scoreSeries ? await findScoreDrops(this.scoreSeries.analytics, this.scoreSeries.configs, nowMs) : []),
    ]
    phase('trajectories')
    await this.applyFindings(findings, nowMs, result)
    phase('traceFindings')
    await this.incidents.tick(nowMs)
    phase('incidents')
    return result
  }

  /**
   * Series younger than a day (and series whose cold-start episode is still open) are judged on
   * their minutes, and so is every tool's error rate (see ColdStartEvaluator); user series are left
   * to the seasonal tier, which pools all but the top spenders.
   */
  private async evaluateColdStart(snapshots: readonly SeriesSnapshot[], nowMs: number): Promise<SeriesEvent[]> {
    const young = new Set(
      snapshots
        .filter((s) => s.dimType !== 'user' && nowMs - s.firstSeenMs < this.config.minHistoryMs)
        .map((s) => seriesKey(s.projectId, s.dimType, s.dimValue)),
    )
    const tools = snapshots
      .filter((s) => s.dimType === 'tool' && s.dimValue !== '')
      .map((s) => seriesKey(s.projectId, s.dimType, s.dimValue))
    const keys = [...new Set([...young, ...tools, ...this.coldStart.openSeriesKeys()])]
    const current = Math.floor(nowMs / MIN) * MIN
    const rows =
      keys.length === 0
        ? []
        : await minuteSeries(this.store, keys, current - this.config.coldStart.lookbackMinutes * MIN, current)
    const scopeOf = (s: { projectId: string; dimType: string; dimValue: string }) =>
      young.has(seriesKey(s.projectId, s.dimType, s.dimValue)) ? 'all' : 'error_rate'
    return this.coldStart.evaluate(groupMinutes(rows), nowMs, scopeOf, projectTraceP95(snapshots))
  }

  /** Resumes open episodes and incidents after a restart, so they are neither re-notified nor left open forever. */
  private async restore(): Promise<void> {
    this.restored = true
    const open = await this.repository.listOpen()
    for (const anomaly of open) {
      const key = [anomaly.projectId, anomaly.dimension, anomaly.value, anomaly.metric].join(SEP)
      const machine = {
        fast: this.series.fast,
        cusum: this.series.cusum,
        hourly: this.series.hourly,
        coldstart: this.coldStart.machine,
      }[anomaly.tier]
      if (machine) {
        machine.restoreOpen(key, anomaly.id)
        this.openSeries.set(anomaly.id, anomaly)
      } else {
        const isReleaseLatency = anomaly.dimension === 'release' && anomaly.metric === 'latency_p95'
        const key = isReleaseLatency
          ? releaseLatencyKey(anomaly.value)
          : anomaly.dimension === 'score'
            ? scoreDropKey(anomaly.value)
            : `id:${anomaly.id}`
        this.openTrajectories.set(`${anomaly.projectId}${SEP}${key}`, anomaly)
      }
    }
    await this.incidents.restore(open)
  }

  private async applySeriesEvent(event: SeriesEvent, nowMs: number, result: EvaluationResult): Promise<void> {
    const { transition } = event
    const signal = transition.payload
    if (transition.type === 'opened') {
      const fromMs = Math.min(event.onsetMs ?? transition.startedAtMs, nowMs) - this.config.bucketMs
      const traceIds = await sampleTraces(
        this.store,
        event.projectId,
        event.dimType,
        event.dimValue,
        event.metric,
        fromMs,
        nowMs,
      )
      const anomaly = seriesAnomaly(event, nowMs, traceIds)
      anomaly.incidentId = await this.incidents.findingOpened(
        anomaly,
        event.dimType === 'agent' ? event.dimValue : '',
        nowMs,
      )
      this.openSeries.set(anomaly.id, anomaly)
      await this.repository.upsert(anomaly)
      result.opened.push(publicView(anomaly))
      return
    }
    const anomaly = this.openSeries.get(transition.episodeId)
    if (!anomaly) return
    anomaly.lastSeenAt = iso(nowMs)
    if (transition.type === 'updated') {
      // Keep the peak: "how far from normal" is the worst point of the episode.
      if (signal.score > anomaly.score)
        Object.assign(anomaly, {
          observed: signal.observed,
          expected: signal.expected,
          score: signal.score,
          severity: signal.severity,
        })
      this.incidents.findingUpdated(anomaly, nowMs)
      await this.repository.upsert(anomaly)
      return
    }
    Object.assign(anomaly, { status: 'resolved', endedAt: iso(nowMs) })
    this.openSeries.delete(anomaly.id)
    this.incidents.findingResolved(anomaly)
    await this.repository.upsert(anomaly)
    result.resolved.push(publicView(anomaly))
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
        const grew = finding.observed > existing.observed
        const traceIds = [...new Set([...existing.traceIds, ...finding.traceIds])].slice(0, 10)
        const changed = grew || traceIds.length !== existing.traceIds.length
        existing.lastSeenAt = iso(nowMs)
        if (grew)
          Object.assign(existing, { observed: finding.observed, score: finding.score, summary: finding.summary })
        existing.traceIds = traceIds
        this.incidents.findingUpdated(existing, nowMs)
        // A trace seen again is no news: its row is rewritten only when it changed (hundreds of them
        // stay in the lookback window at once). After a restart, one not seen again resolves on time anyway.
        if (changed) await this.repository.upsert(existing)
        continue
      }
      // Already reported and resolved.
      if (stableId && (await this.repository.get(finding.projectId, stableId))) continue
      const anomaly = trajectoryAnomaly(finding, nowMs)
      anomaly.incidentId = await this.incidents.findingOpened(anomaly, finding.agent, nowMs)
      this.openTrajectories.set(mapKey, anomaly)
      await this.repository.upsert(anomaly)
      result.opened.push(publicView(anomaly))
    }
    for (const [mapKey, anomaly] of this.openTrajectories) {
      if (seen.has(mapKey) || nowMs - Date.parse(anomaly.lastSeenAt) < this.trajectory.resolveAfterMs) continue
      Object.assign(anomaly, { status: 'resolved', endedAt: iso(nowMs) })
      this.openTrajectories.delete(mapKey)
      this.incidents.findingResolved(anomaly)
      await this.repository.upsert(anomaly)
      result.resolved.push(publicView(anomaly))
    }
  }
}

function publicView(anomaly: StoredAnomaly): Anomaly {
  const { projectId: _p, tier: _t, ...view } = anomaly
  return view
}
