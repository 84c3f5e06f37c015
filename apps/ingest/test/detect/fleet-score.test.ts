import type { Incident } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { scheduledWindows } from '@sightline/demo/timeline'
import type { FleetRunResult } from '../../bench/anomaly/fleet/fleet-run.js'
import { matches, scoreRun, summaryOf } from '../../bench/anomaly/fleet/fleet-score.js'

const MIN = 60_000
const ANCHOR = Date.parse('2026-03-10T21:00:00Z')
const at = (minute: number) => new Date(ANCHOR + minute * MIN).toISOString()

function run(startMinute: number, minutes: number): FleetRunResult {
  const windows = scheduledWindows(startMinute, minutes).map((w) => ({
    ...w,
    fromMs: ANCHOR + w.fromMinute * MIN,
    toMs: ANCHOR + w.toMinute * MIN,
  }))
  return {
    anchorMs: ANCHOR,
    endMs: ANCHOR + minutes * MIN,
    windows,
    evaluations: minutes,
    slowestEvaluationMs: 0,
    unwarpedSpans: 0,
  }
}

function incident(
  id: string,
  families: Incident['families'],
  firstMinute: number,
  openedMinute: number,
  over: Partial<Incident> = {},
): Incident {
  return {
    id,
    family: families[0]!,
    families,
    title: id,
    explanation: '',
    status: 'open',
    resolution: '',
    signal: 'active',
    severity: 'warning',
    severityScore: 2,
    scope: { agent: '', tool: '', model: '', release: '' },
    kind: 'spike',
    dimension: 'total',
    value: '',
    metric: 'cost',
    metrics: ['cost'],
    observed: 2,
    expected: 1,
    firstSeenAt: at(firstMinute),
    openedAt: at(openedMinute),
    lastSeenAt: at(openedMinute),
    recoveredAt: null,
    resolvedAt: null,
    acknowledgedAt: null,
    snoozedUntil: null,
    findings: 1,
    traceCount: 1,
    traceIds: [],
    alerted: true,
    ...over,
  }
}

describe('fleet scoring', () => {
  it('matches an incident to a scheduled window by what it is about and when it started', () => {
    const [canary, loop, spike] = run(18, 30).windows
    expect(matches(incident('c', ['cost'], 2, 4), spike!)).toBe(true)
    expect(matches(incident('c', ['cost'], 20, 22), spike!)).toBe(false) // long after the spike
    expect(matches(incident('l', ['latency'], 2, 4), spike!)).toBe(false)
    expect(matches(incident('r', ['release_latency'], 1, 2), canary!)).toBe(true)
    expect(matches(incident('x', ['loop'], 1, 1), loop!)).toBe(true)
  })

  it('scores precision, recall, delay and steady-traffic incidents', () => {
    const r = run(18, 30)
    const incidents = [
      incident('loop', ['loop'], 0, 1),
      incident('canary', ['release_latency'], 1, 3),
      incident('spike', ['cost'], 2, 4),
      incident('loop-again', ['loop'], 14, 14),
      incident('noise', ['latency'], 15, 16),
    ]
    const score = scoreRun(r, incidents)
    // db incident at run minutes 20–23 missed; 4 of 5 incidents match something.
    expect(score).toMatchObject({ incidents: 5, matched: 4, windows: 4, detected: 3, steadyIncidents: 2 })
    expect(score.delaysMin).toEqual([3, 1, 2])
    const s = summaryOf(score)
    expect(s).toMatchObject({ precision: 0.8, recall: 0.75, delayP50: 2 })
    // Steady traffic: 30 minutes minus the spike (5 + 2) and the database incident (3 + 2).
    expect(s.perHourSteady).toBeCloseTo(2 / (18 / 60), 5)
    expect(score.lines.join('\n')).toMatch(/db_incident .*MISSED/)
  })
})
