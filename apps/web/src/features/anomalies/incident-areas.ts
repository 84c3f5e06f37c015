/**
 * Incidents → shaded areas on a dashboard chart's categorical time axis: each incident's window
 * (first seen → recovery, or now while active) snaps outwards to the chart's buckets and is
 * clipped to the rows shown; incidents entirely outside are dropped.
 */
import type { AnalyticsStep, Incident } from '@sightline/schema'
import { STEP_MS } from '../dashboards/dashboard-url'
import { incidentEnd } from './incident-view'

export interface IncidentArea {
  /** The incident's id: a click on the area opens it. */
  id: string
  /** Bucket keys (row `t` values) the area starts and ends on, inclusive. */
  x1: string
  x2: string
  label: string
  severity: Incident['severity']
}

export function incidentAreas(
  incidents: readonly Incident[],
  rows: ReadonlyArray<{ t: string }>,
  step: AnalyticsStep,
  now = Date.now(),
): IncidentArea[] {
  if (rows.length === 0) return []
  const first = Date.parse(rows[0]!.t)
  const last = Date.parse(rows[rows.length - 1]!.t)
  const stepMs = STEP_MS[step]
  const areas: IncidentArea[] = []
  for (const incident of incidents) {
    const start = Date.parse(incident.firstSeenAt)
    const end =
      incident.signal === 'active'
        ? Math.max(incidentEnd(incident, now), Math.min(now, last + stepMs))
        : incidentEnd(incident, now)
    if (end < first || start >= last + stepMs) continue
    const i1 = Math.max(0, Math.floor((start - first) / stepMs))
    const i2 = Math.min(rows.length - 1, Math.max(i1, Math.floor((Math.max(end - 1, start) - first) / stepMs)))
    areas.push({
      id: incident.id,
      x1: rows[i1]!.t,
      x2: rows[i2]!.t,
      label: incident.title,
      severity: incident.severity,
    })
  }
  return areas
}
