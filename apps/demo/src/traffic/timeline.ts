/**
 * How the scenario mix changes over demo time, so dashboards show anomalies that come and go:
 * a cost spike for 5 minutes of every 30, a database incident (more tool errors) for 3 minutes of
 * every 30, the canary taking 20 % of executor traffic throughout. A run may start at any minute
 * of the cycle (DEMO_START_MINUTE); demo time is then counted from that minute.
 */
import type { Scenario } from './scenarios.js'

export const CYCLE_MINUTES = 30
const SPIKE_WINDOW: readonly [number, number] = [20, 25]
const INCIDENT_WINDOW: readonly [number, number] = [8, 11]
export const CANARY_SHARE = 0.2

const BASELINE: Record<Exclude<Scenario, 'canary'>, number> = {
  success: 55,
  tool_error: 8,
  loop: 5,
  cost_spike: 0,
  guardrail: 6,
  session: 8,
}

const inWindow = (minute: number, [from, to]: readonly [number, number]) => minute >= from && minute < to

/** Scenario weights at `demoMs` of demo time (minute 0 = the start of a cycle). */
export function weightsAt(demoMs: number): Record<Exclude<Scenario, 'canary'>, number> {
  const minute = (demoMs / 60_000) % CYCLE_MINUTES
  const weights = { ...BASELINE }
  if (inWindow(minute, SPIKE_WINDOW)) {
    weights.cost_spike = 40
    weights.success = 15
  }
  if (inWindow(minute, INCIDENT_WINDOW)) weights.tool_error = 35
  return weights
}

/**
 * What the timeline schedules, as ground truth for judging detection: every cost spike and
 * database incident that starts inside a run, and the canary and the looping planner release,
 * which last the whole run. Minutes are counted from the run's start.
 */
export interface ScheduledWindow {
  scenario: 'cost_spike' | 'db_incident' | 'canary' | 'loop'
  fromMinute: number
  toMinute: number
  /** Already under way when the run started: no onset to detect, so not required for recall. */
  ongoingAtStart: boolean
}

export function scheduledWindows(startMinute: number, runMinutes: number): ScheduledWindow[] {
  const windows: ScheduledWindow[] = [
    { scenario: 'canary', fromMinute: 0, toMinute: runMinutes, ongoingAtStart: false },
    { scenario: 'loop', fromMinute: 0, toMinute: runMinutes, ongoingAtStart: false },
  ]
  const firstCycle = Math.floor(startMinute / CYCLE_MINUTES) * CYCLE_MINUTES
  for (let cycle = firstCycle; cycle < startMinute + runMinutes; cycle += CYCLE_MINUTES) {
    for (const [scenario, [from, to]] of [
      ['cost_spike', SPIKE_WINDOW],
      ['db_incident', INCIDENT_WINDOW],
    ] as const) {
      const fromMinute = cycle + from - startMinute
      const toMinute = Math.min(cycle + to - startMinute, runMinutes)
      if (toMinute <= 0 || fromMinute >= runMinutes) continue
      windows.push({ scenario, fromMinute: Math.max(0, fromMinute), toMinute, ongoingAtStart: fromMinute < 0 })
    }
  }
  return windows.sort((a, b) => a.fromMinute - b.fromMinute)
}
