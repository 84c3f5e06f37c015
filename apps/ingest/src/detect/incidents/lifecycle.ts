import type { AlertEvent, IncidentAction } from '@sightline/schema'
import type { StoredIncident } from '../../db/repositories/incidents.js'
import { severityRank } from './severity.js'

/**
 * An incident's lifecycle, pure (the manager applies these and persists the result):
 *
 *   signal  active ──all findings over──▶ normal (recoveredAt) ──held recoveryHoldMs──▶ resolved (recovered)
 *                ◀──a finding joins within the hold──┘
 *   status  open ⇄ acknowledged, snoozed (until snoozedUntil, then open again), resolved (by people or by recovery)
 *
 * Alerts (deduplicated per incident, survive restarts through `alertedSeverity`): `opened` once the
 * incident is at least a warning and neither acknowledged nor snoozed; `escalated` when its severity
 * rises past what was announced; `reopened` when a snooze runs out while the signal is still active;
 * `recovered` when it resolves by recovery after having been announced. A snoozed incident sends nothing.
 */
const iso = (ms: number) => new Date(ms).toISOString()

/** Signal bookkeeping: `active` now or not. Returns true when anything changed. */
export function setSignal(incident: StoredIncident, active: boolean, nowMs: number): boolean {
  if (active && incident.signal !== 'active') {
    Object.assign(incident, { signal: 'active', recoveredAt: null })
    return true
  }
  if (!active && incident.signal === 'active') {
    Object.assign(incident, { signal: 'normal', recoveredAt: iso(nowMs) })
    return true
  }
  return false
}

/** Time-driven changes: a snooze running out, a recovery held long enough. The alert to send, if any. */
export function advance(
  incident: StoredIncident,
  nowMs: number,
  recoveryHoldMs: number,
): { changed: boolean; alert?: AlertEvent } {
  let changed = false
  let alert: AlertEvent | undefined
  if (incident.status === 'snoozed' && incident.snoozedUntil !== null && Date.parse(incident.snoozedUntil) <= nowMs) {
    Object.assign(incident, { status: 'open', snoozedUntil: null })
    changed = true
    if (incident.signal === 'active' && incident.alertedSeverity !== '') alert = 'reopened'
  }
  if (
    incident.status !== 'resolved' &&
    incident.signal === 'normal' &&
    incident.recoveredAt !== null &&
    nowMs - Date.parse(incident.recoveredAt) >= recoveryHoldMs
  ) {
    const announce = incident.alertedSeverity !== '' && incident.status !== 'snoozed'
    Object.assign(incident, { status: 'resolved', resolution: 'recovered', resolvedAt: iso(nowMs), snoozedUntil: null })
    return { changed: true, ...(announce ? { alert: 'recovered' as const } : {}) }
  }
  return { changed, ...(alert ? { alert } : {}) }
}

/** The alert a (re)computed severity calls for, and the announced severity it leaves. */
export function alertForSeverity(incident: StoredIncident): AlertEvent | undefined {
  if (incident.status !== 'open' || incident.signal !== 'active') return undefined
  if (severityRank(incident.severity) < severityRank('warning')) return undefined
  if (incident.alertedSeverity === '') return 'opened'
  return severityRank(incident.severity) > severityRank(incident.alertedSeverity) ? 'escalated' : undefined
}

export class IncidentActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IncidentActionError'
  }
}

/** A person's action. Throws IncidentActionError when it makes no sense in the current state. */
export function applyAction(
  incident: StoredIncident,
  action: IncidentAction,
  nowMs: number,
  snoozeMinutes?: number,
): void {
  const resolved = incident.status === 'resolved'
  switch (action) {
    case 'acknowledge':
      if (resolved) throw new IncidentActionError('A resolved incident cannot be acknowledged; reopen it first.')
      Object.assign(incident, { status: 'acknowledged', acknowledgedAt: iso(nowMs), snoozedUntil: null })
      return
    case 'snooze':
      if (resolved) throw new IncidentActionError('A resolved incident cannot be snoozed; reopen it first.')
      if (!snoozeMinutes) throw new IncidentActionError('A snooze needs its length in minutes.')
      Object.assign(incident, { status: 'snoozed', snoozedUntil: iso(nowMs + snoozeMinutes * 60_000) })
      return
    case 'resolve':
      if (resolved) throw new IncidentActionError('The incident is already resolved.')
      Object.assign(incident, { status: 'resolved', resolution: 'manual', resolvedAt: iso(nowMs), snoozedUntil: null })
      return
    case 'reopen':
      if (incident.status === 'open') throw new IncidentActionError('The incident is already open.')
      Object.assign(incident, {
        status: 'open',
        resolution: '',
        resolvedAt: null,
        snoozedUntil: null,
        acknowledgedAt: null,
      })
      return
  }
}
