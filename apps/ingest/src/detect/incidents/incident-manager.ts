import { createHash } from 'node:crypto'
import type { Incident, IncidentAction, IncidentFamily } from '@sightline/schema'
import type { Store } from '../../db/client.js'
import { type IncidentRepository, type StoredIncident, toPublic } from '../../db/repositories/incidents.js'
import type { Logger } from '../../logger.js'
import type { AnomalyRepository, StoredAnomaly } from '../../db/repositories/anomalies.js'
import type { AlertNotifier } from '../webhooks.js'
import { chooseIncident, EMPTY_SCOPE, findingFacts, isSeriesFamily, mergeScope, type FindingFacts } from './grouping.js'
import { refreshIncident, type Member } from './refresh.js'
import { advance, alertForSeverity, applyAction, setSignal } from './lifecycle.js'
import { DEFAULT_SEVERITY_RULES, type SeverityRules } from './severity.js'

export interface IncidentRules {
  /**
   * Series findings whose signals start this close together are one incident (the same event seen
   * on several series); further apart, only a shared family or dimension value groups them.
   */
  correlateMs: number
  /** A normal signal must stay normal this long before the incident resolves (flapping stays one incident). */
  recoveryHoldMs: number
  /** Trace incidents (loops, outliers…) are normal again after this long without a new trace. */
  eventQuietMs: number
  /** Explanations and affected traces are recomputed at most this often while an incident is active. */
  refreshMs: number
  /** The explanation compares the incident's window with this much time before it. */
  baselineMs: number
  severity: SeverityRules
}

const DEFAULT_INCIDENT_RULES: IncidentRules = {
  correlateMs: 3 * 60_000,
  recoveryHoldMs: 5 * 60_000,
  eventQuietMs: 15 * 60_000,
  refreshMs: 5 * 60_000,
  baselineMs: 60 * 60_000,
  severity: DEFAULT_SEVERITY_RULES,
}

interface Live {
  incident: StoredIncident
  members: Map<string, Member>
  dimKeys: Set<string>
  /** Trace incidents: the traces counted so far (since this process started). */
  traces: Set<string>
  lastFindingMs: number
  refreshedAtMs: number
  dirty: boolean
}

const iso = (ms: number) => new Date(ms).toISOString()
/** Families whose findings are single traces: active while new ones keep coming. */
const isEventFamily = (family: IncidentFamily) => !isSeriesFamily(family) && family !== 'release_latency'

/**
 * Groups the detector's findings into incidents and runs their lifecycle (lifecycle.ts). The single
 * owner of incident state in the process: the detector reports findings to it, and people's actions
 * (acknowledge, snooze, resolve, reopen) come through `act`, so an evaluation and an action never
 * overwrite each other. Unresolved incidents live in memory and are restored after a restart.
 */
export class IncidentManager {
  private readonly live = new Map<string, Live>()
  private restored = false

  constructor(
    private readonly store: Store,
    private readonly repository: IncidentRepository,
    private readonly anomalies: AnomalyRepository,
    private readonly notifier: AlertNotifier,
    private readonly logger: Logger,
    readonly rules: IncidentRules = DEFAULT_INCIDENT_RULES,
  ) {}

  /** Unresolved incidents and their open findings, as persisted. `openAnomalies` saves a second read. */
  async restore(openAnomalies?: readonly StoredAnomaly[]): Promise<void> {
    if (this.restored) return
    this.restored = true
    const open = openAnomalies ?? (await this.anomalies.listOpen())
    for (const incident of await this.repository.listUnresolved()) {
      const live = this.track(incident)
      for (const a of open)
        if (a.projectId === incident.projectId && a.incidentId === incident.id) this.addMember(live, a, findingFacts(a))
    }
  }

  /** A finding opened: the incident it joins (created if none fits). Returns the incident id. */
  async findingOpened(anomaly: StoredAnomaly, agent: string, nowMs: number): Promise<string> {
    await this.restore()
    const facts = findingFacts(anomaly, agent)
    const startedAtMs = Date.parse(anomaly.startedAt)
    const candidates = [...this.live.values()].filter((l) => l.incident.projectId === anomaly.projectId)
    const chosen = chooseIncident(
      facts,
      startedAtMs,
      candidates.map((l) => ({
        id: l.incident.id,
        groupKey: l.incident.groupKey,
        families: l.incident.families,
        dimKeys: l.dimKeys,
        lastOnsetMs: Math.max(0, ...[...l.members.values()].map((m) => m.startedAtMs)),
        signalActive: l.incident.signal === 'active',
      })),
      this.rules.correlateMs,
    )
    const live = chosen ? this.live.get(chosen.id)! : this.track(this.newIncident(anomaly, facts, nowMs))
    this.addMember(live, anomaly, facts)
    live.incident.findings += chosen ? 1 : 0
    if (isEventFamily(facts.family)) {
      // A trace incident counts its traces as they come; series incidents count theirs from the rollups.
      for (const traceId of anomaly.traceIds) {
        if (live.traces.has(traceId)) continue
        live.traces.add(traceId)
        live.incident.traceCount += 1
      }
      live.incident.traceIds = [...new Set([...anomaly.traceIds, ...live.incident.traceIds])].slice(0, 20)
    }
    live.incident.lastSeenAt = iso(Math.max(Date.parse(live.incident.lastSeenAt), nowMs))
    live.incident.firstSeenAt = iso(Math.min(Date.parse(live.incident.firstSeenAt), startedAtMs))
    live.lastFindingMs = nowMs
    setSignal(live.incident, true, nowMs)
    live.dirty = true
    return live.incident.id
  }

  /** A finding still going (its peak may have grown). */
  findingUpdated(anomaly: StoredAnomaly, nowMs: number): void {
    const live = this.live.get(anomaly.incidentId)
    const member = live?.members.get(anomaly.id)
    if (!live || !member) return
    Object.assign(member, {
      observed: anomaly.observed,
      expected: anomaly.expected,
      score: anomaly.score,
      traceIds: anomaly.traceIds,
      summary: anomaly.summary,
    })
    // A trace seen again (it stays in the lookback for an hour) is no new evidence: only new traces keep a trace
    // incident active.
    live.incident.lastSeenAt = iso(nowMs)
  }

  findingResolved(anomaly: StoredAnomaly): void {
    const member = this.live.get(anomaly.incidentId)?.members.get(anomaly.id)
    if (member) member.open = false
  }

  /** Once per evaluation, after the findings: signals, recoveries, snoozes, explanations, severities, alerts. */
  async tick(nowMs: number): Promise<void> {
    await this.restore()
    for (const live of [...this.live.values()]) {
      const { incident } = live
      const active = isEventFamily(incident.family)
        ? nowMs - live.lastFindingMs < this.rules.eventQuietMs
        : [...live.members.values()].some((m) => m.open)
      if (setSignal(incident, active, nowMs)) live.dirty = true
      if (active && (live.dirty || nowMs - live.refreshedAtMs >= this.rules.refreshMs)) {
        await refreshIncident(this.store, incident, [...live.members.values()], nowMs, this.rules)
        live.refreshedAtMs = nowMs
        live.dirty = true
      }
      const stepped = advance(incident, nowMs, this.rules.recoveryHoldMs)
      const alert = stepped.alert ?? alertForSeverity(incident)
      if (alert) this.announce(incident, alert)
      if (stepped.changed || alert || live.dirty) await this.repository.upsert(incident)
      live.dirty = false
      if (incident.status === 'resolved') this.live.delete(incident.id)
    }
  }

  /** A person's action on an incident of `projectId`; undefined when there is no such incident. */
  async act(
    projectId: string,
    id: string,
    action: IncidentAction,
    nowMs: number,
    snoozeMinutes?: number,
  ): Promise<Incident | undefined> {
    await this.restore()
    let live = this.live.get(id)
    if (live && live.incident.projectId !== projectId) return undefined
    const incident = live?.incident ?? (await this.repository.get(projectId, id))
    if (!incident) return undefined
    applyAction(incident, action, nowMs, snoozeMinutes)
    if (incident.status === 'resolved') this.live.delete(id)
    else if (!live) {
      live = this.track(incident)
      for (const a of await this.anomalies.listOpen())
        if (a.incidentId === id && a.projectId === projectId) this.addMember(live, a, findingFacts(a))
    }
    await this.repository.upsert(incident)
    this.logger.info(`incident ${action}`, { projectId, id })
    return toPublic(incident)
  }

  private announce(incident: StoredIncident, event: 'opened' | 'escalated' | 'reopened' | 'recovered'): void {
    if (event !== 'recovered') incident.alertedSeverity = incident.severity
    incident.alerted = true
    this.notifier.notifyIncident(incident.projectId, event, toPublic(incident))
    this.logger.info(`incident ${event}`, {
      projectId: incident.projectId,
      id: incident.id,
      family: incident.family,
      severity: incident.severity,
    })
  }

  private track(incident: StoredIncident): Live {
    const live: Live = {
      incident,
      members: new Map(),
      dimKeys: new Set(),
      traces: new Set(),
      lastFindingMs: Date.parse(incident.lastSeenAt),
      refreshedAtMs: 0,
      dirty: false,
    }
    this.live.set(incident.id, live)
    return live
  }

  private addMember(live: Live, anomaly: StoredAnomaly, facts: FindingFacts): void {
    live.members.set(anomaly.id, {
      id: anomaly.id,
      family: facts.family,
      kind: anomaly.kind,
      dimension: anomaly.dimension,
      value: anomaly.value,
      metric: anomaly.metric,
      observed: anomaly.observed,
      expected: anomaly.expected,
      score: anomaly.score,
      summary: anomaly.summary,
      traceIds: anomaly.traceIds,
      startedAtMs: Date.parse(anomaly.startedAt),
      open: anomaly.status === 'open',
    })
    if (facts.dimKey) live.dimKeys.add(facts.dimKey)
    const { incident } = live
    if (!incident.families.includes(facts.family)) incident.families = [...incident.families, facts.family]
    if (!incident.metrics.includes(anomaly.metric)) incident.metrics = [...incident.metrics, anomaly.metric]
    incident.scope = mergeScope(incident.scope, facts.scope)
  }

  private newIncident(anomaly: StoredAnomaly, facts: FindingFacts, nowMs: number): StoredIncident {
    const groupKey = isSeriesFamily(facts.family) ? facts.family : facts.groupKey
    const id = createHash('sha256')
      .update(`${anomaly.projectId}\u0000${groupKey}\u0000${anomaly.id}`)
      .digest('hex')
      .slice(0, 32)
    return {
      projectId: anomaly.projectId,
      id,
      groupKey,
      family: facts.family,
      families: [],
      title: '',
      explanation: anomaly.summary,
      status: 'open',
      resolution: '',
      signal: 'active',
      severity: 'info',
      severityScore: 0,
      scope: { ...EMPTY_SCOPE },
      kind: anomaly.kind,
      dimension: anomaly.dimension,
      value: anomaly.value,
      metric: anomaly.metric,
      metrics: [],
      observed: anomaly.observed,
      expected: anomaly.expected,
      firstSeenAt: anomaly.startedAt,
      openedAt: iso(nowMs),
      lastSeenAt: iso(nowMs),
      recoveredAt: null,
      resolvedAt: null,
      acknowledgedAt: null,
      snoozedUntil: null,
      findings: 1,
      traceCount: 0,
      traceIds: [...anomaly.traceIds],
      alerted: false,
      alertedSeverity: '',
    }
  }
}
