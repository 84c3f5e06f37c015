/**
 * Scores the incidents of a fleet run against what the demo scheduled (apps/demo timeline):
 * - an incident matches a scheduled window when it is about what that scenario moves (cost spike:
 *   cost, or expensive traces; database incident: error rate, latency or tool errors; canary: the
 *   release comparison, or latency narrowed to the canary; loop: tool loops) and its signal started
 *   within [window start − 2 min, window end + 10 min];
 * - precision = matching incidents / incidents; recall = scheduled windows with a matching incident
 *   opened by their end + 10 min (windows already under way when the run started are not required);
 * - delay = from a window's start to the first matching incident's opening (confirmation included;
 *   the canary and the loops are there from the run's start, and may be incidents already, delay 0);
 * - incidents per hour of steady traffic: incidents that match nothing scheduled, plus any incident
 *   after the first one for the canary and for the loops (a flapping incident is noise too), per
 *   hour of traffic outside the spike and database windows (and 2 minutes after each): what a
 *   manager is interrupted by when nothing new is happening.
 */
import type { Incident } from '@sightline/schema'
import type { FleetRunResult } from './fleet-run.js'

const MIN = 60_000
const BEFORE = 2 * MIN
const AFTER = 10 * MIN
/** Traffic settles this long after a burst window ends. */
const SETTLE = 2 * MIN

type Window = FleetRunResult['windows'][number]

export interface RunScore {
  incidents: number
  matched: number
  windows: number
  detected: number
  delaysMin: number[]
  steadyIncidents: number
  steadyHours: number
  /** One line per scheduled window and per unmatched incident, for the report. */
  lines: string[]
}

const CANARY_RELEASE = /canary/

export function matches(incident: Incident, window: Window): boolean {
  const families = new Set(incident.families)
  const about =
    window.scenario === 'cost_spike'
      ? families.has('cost') ||
        (families.has('outlier') && (incident.metric === 'trace_cost' || incident.metric === 'trace_tokens'))
      : window.scenario === 'db_incident'
        ? families.has('errors') || families.has('latency') || families.has('tool_errors')
        : window.scenario === 'canary'
          ? families.has('release_latency') ||
            (families.has('latency') &&
              (CANARY_RELEASE.test(incident.scope.release) ||
                (incident.dimension === 'release' && CANARY_RELEASE.test(incident.value))))
          : families.has('loop')
  const start = Date.parse(incident.firstSeenAt)
  if (!about) return false
  // The canary and the loops may already be an incident when the run starts (a server with history).
  if (!isBurst(window) && start < window.fromMs)
    return incident.recoveredAt === null || Date.parse(incident.recoveredAt) >= window.fromMs
  return start >= window.fromMs - BEFORE && start <= window.toMs + AFTER
}

const isBurst = (w: Window) => w.scenario === 'cost_spike' || w.scenario === 'db_incident'

export function scoreRun(run: FleetRunResult, incidents: readonly Incident[]): RunScore {
  const opened = (i: Incident) => Date.parse(i.openedAt)
  const rel = (ms: number) => `${((ms - run.anchorMs) / MIN).toFixed(1)} min`
  const lines: string[] = []
  const delaysMin: number[] = []
  let windows = 0
  let detected = 0
  const firstOfContinuous = new Set<string>()
  for (const window of run.windows) {
    const hits = incidents.filter((i) => matches(i, window)).sort((a, b) => opened(a) - opened(b))
    const first = hits[0]
    if (!isBurst(window) && first) firstOfContinuous.add(first.id)
    if (window.ongoingAtStart) continue
    windows++
    const deadline = isBurst(window) ? window.toMs + AFTER : run.endMs
    if (first && opened(first) <= deadline) {
      detected++
      delaysMin.push(Math.max(0, (opened(first) - window.fromMs) / MIN))
    }
    lines.push(
      `  ${window.scenario.padEnd(11)} ${rel(window.fromMs)}–${rel(window.toMs)}: ` +
        `${
          first
            ? `incident ${first.id.slice(0, 8)} opened at ${rel(opened(first))} (${first.title}: ` +
              `${first.explanation})`
            : 'MISSED'
        }${hits.length > 1 ? ` (+${hits.length - 1} more)` : ''}`,
    )
  }
  const matchedIds = new Set(incidents.filter((i) => run.windows.some((w) => matches(i, w))).map((i) => i.id))
  for (const i of incidents)
    if (!matchedIds.has(i.id))
      lines.push(
        `  false alarm: incident ${i.id.slice(0, 8)} opened at ${rel(opened(i))} (${i.title}: ${i.explanation})`,
      )
  const bursts = run.windows.filter(isBurst)
  let steadyMs = 0
  for (let t = run.anchorMs; t < run.endMs; t += MIN)
    if (!bursts.some((w) => t >= w.fromMs && t < w.toMs + SETTLE)) steadyMs += MIN
  const continuous = new Set(
    incidents.filter((i) => run.windows.some((w) => !isBurst(w) && matches(i, w))).map((i) => i.id),
  )
  const steadyIncidents = incidents.filter(
    (i) => !matchedIds.has(i.id) || (continuous.has(i.id) && !firstOfContinuous.has(i.id)),
  ).length
  return {
    incidents: incidents.length,
    matched: matchedIds.size,
    windows,
    detected,
    delaysMin,
    steadyIncidents,
    steadyHours: steadyMs / 3_600_000,
    lines,
  }
}

export function addRunScores(scores: readonly RunScore[]): RunScore {
  return scores.reduce(
    (a, b) => ({
      incidents: a.incidents + b.incidents,
      matched: a.matched + b.matched,
      windows: a.windows + b.windows,
      detected: a.detected + b.detected,
      delaysMin: [...a.delaysMin, ...b.delaysMin],
      steadyIncidents: a.steadyIncidents + b.steadyIncidents,
      steadyHours: a.steadyHours + b.steadyHours,
      lines: [...a.lines, ...b.lines],
    }),
    { incidents: 0, matched: 0, windows: 0, detected: 0, delaysMin: [], steadyIncidents: 0, steadyHours: 0, lines: [] },
  )
}

export function summaryOf(score: RunScore): {
  precision: number
  recall: number
  delayP50: number
  perHourSteady: number
} {
  const sorted = [...score.delaysMin].sort((a, b) => a - b)
  const mid = sorted.length / 2
  const delayP50 =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2
        ? sorted[Math.floor(mid)]!
        : (sorted[mid - 1]! + sorted[mid]!) / 2
  return {
    precision: score.incidents === 0 ? 1 : score.matched / score.incidents,
    recall: score.windows === 0 ? 1 : score.detected / score.windows,
    delayP50,
    perHourSteady: score.steadyHours === 0 ? 0 : score.steadyIncidents / score.steadyHours,
  }
}
