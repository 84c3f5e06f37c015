import { createHash } from 'node:crypto'
import type { Anomaly } from '@sightline/schema'
import type { StoredAnomaly } from '../db/repositories/anomalies.js'
import type { SeriesEvent } from './series-evaluator.js'
import type { TrajectoryFinding } from './trajectory.js'

/** Findings as persisted anomalies: one per series episode, one per trace (or release) finding. */
const iso = (ms: number) => new Date(ms).toISOString()
const SEP = '\u0000'

export function hashId(...parts: string[]): string {
  return createHash('sha256').update(parts.join(SEP)).digest('hex').slice(0, 32)
}

/** A series episode that just opened (its start is the tier's onset when it knows one). */
export function seriesAnomaly(event: SeriesEvent, nowMs: number, traceIds: string[]): StoredAnomaly {
  const { transition } = event
  if (transition.type !== 'opened') throw new Error('seriesAnomaly() takes an opening transition')
  const signal = transition.payload
  return {
    projectId: event.projectId,
    id: transition.episodeId,
    kind: event.kind,
    dimension: event.dimType as Anomaly['dimension'],
    value: event.dimValue,
    metric: event.metric,
    status: 'open',
    severity: signal.severity,
    startedAt: iso(Math.min(event.onsetMs ?? transition.startedAtMs, nowMs)),
    lastSeenAt: iso(nowMs),
    endedAt: null,
    observed: signal.observed,
    expected: signal.expected,
    score: signal.score,
    traceIds,
    summary: seriesSummary(event),
    incidentId: '',
    tier: event.tier,
  }
}

function seriesSummary(event: SeriesEvent): string {
  const where = event.dimType === 'total' ? 'the project total' : `${event.dimType} ${event.dimValue}`
  const { observed, expected } = event.transition.payload
  const cold = event.tier === 'coldstart'
  const ratio =
    expected > 0
      ? `${(observed / expected).toFixed(1)}× ${cold ? 'its recent level' : 'the usual for this time of day'}`
      : 'well above the usual'
  const what = event.kind === 'spike' ? 'Spike' : 'Level shift'
  const window = cold
    ? 'last minutes, against the hours before: no day of history yet'
    : event.kind === 'spike'
      ? 'last 5 minutes'
      : 'recent hours'
  return `${what} in ${event.metric.replace('_', ' ')} for ${where}: ${ratio} (${window})`
}

/** A trace or release finding seen for the first time. Per-trace ids are stable, so a trace is reported once. */
export function trajectoryAnomaly(finding: TrajectoryFinding, nowMs: number): StoredAnomaly {
  const stableId = finding.dimension === 'trace' ? hashId(finding.projectId, finding.key) : undefined
  return {
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
    incidentId: '',
    tier: '',
  }
}
