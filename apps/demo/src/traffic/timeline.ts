/**
 * How the scenario mix changes over demo time, so dashboards show anomalies that come and go:
 * a cost spike for 5 minutes of every 30, a database incident (more tool errors) for 3 minutes of
 * every 30, the canary taking 20 % of executor traffic throughout.
 */
import type { Scenario } from './scenarios.js'

export const CYCLE_MINUTES = 30
export const SPIKE_WINDOW: readonly [number, number] = [20, 25]
export const INCIDENT_WINDOW: readonly [number, number] = [8, 11]
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

/** Scenario weights at `demoMs` since the start of the run. */
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
