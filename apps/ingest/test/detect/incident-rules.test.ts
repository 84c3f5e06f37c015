import { histogramOf } from '@sightline/core'
import type { Anomaly } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import type { BreakdownRow, BreakdownSide } from '../../src/db/repositories/detection.js'
import type { StoredIncident } from '../../src/db/repositories/incidents.js'
import { explainIncident } from '../../src/detect/incidents/explain.js'
import { chooseIncident, findingFacts, type GroupCandidate } from '../../src/detect/incidents/grouping.js'
import {
  advance,
  alertForSeverity,
  applyAction,
  IncidentActionError,
  setSignal,
} from '../../src/detect/incidents/lifecycle.js'
import { severityOf } from '../../src/detect/incidents/severity.js'

const MIN = 60_000
const T0 = Date.parse('2026-03-10T21:20:00Z')
const finding = (kind: Anomaly['kind'], dimension: Anomaly['dimension'], value: string, metric: Anomaly['metric']) => ({
  kind,
  dimension,
  value,
  metric,
})

describe('grouping findings into incidents', () => {
  const candidate = (over: Partial<GroupCandidate>): GroupCandidate => ({
    id: 'c',
    groupKey: 'cost',
    families: ['cost'],
    dimKeys: new Set(),
    lastOnsetMs: T0,
    signalActive: true,
    ...over,
  })

  it('puts every series a cost spike moves, minutes apart, into one incident', () => {
    const open = [candidate({ dimKeys: new Set(['agent\u0000planner']) })]
    for (const f of [
      finding('spike', 'total', '', 'cost'),
      finding('spike', 'model', 'claude-opus-4', 'tokens'),
      finding('spike', 'release', '2.3.0', 'cost'),
    ]) {
      expect(chooseIncident(findingFacts(f), T0 + 2 * MIN, open, 3 * MIN)?.id).toBe('c')
    }
  })

  it('joins another metric of the same dimension value, or one starting with it; not an unrelated later one', () => {
    const errors = candidate({
      id: 'db',
      groupKey: 'errors',
      families: ['errors'],
      dimKeys: new Set(['tool\u0000db_lookup']),
    })
    expect(
      chooseIncident(
        findingFacts(finding('spike', 'tool', 'db_lookup', 'latency_p95')),
        T0 + 30 * MIN,
        [errors],
        3 * MIN,
      )?.id,
    ).toBe('db')
    expect(
      chooseIncident(
        findingFacts(finding('spike', 'agent', 'executor', 'latency_p95')),
        T0 + 3 * MIN,
        [errors],
        3 * MIN,
      )?.id,
    ).toBe('db')
    expect(
      chooseIncident(
        findingFacts(finding('spike', 'agent', 'executor', 'latency_p95')),
        T0 + 30 * MIN,
        [errors],
        3 * MIN,
      ),
    ).toBeUndefined()
    // The same family moving again later, elsewhere, is another incident; a recovering one is joined by its own values
    // only.
    expect(
      chooseIncident(findingFacts(finding('spike', 'total', '', 'cost')), T0 + 10 * MIN, [candidate({})], 3 * MIN),
    ).toBeUndefined()
    expect(
      chooseIncident(
        findingFacts(finding('spike', 'total', '', 'cost')),
        T0 + MIN,
        [candidate({ signalActive: false })],
        3 * MIN,
      ),
    ).toBeUndefined()
    expect(
      chooseIncident(
        findingFacts(finding('spike', 'tool', 'db_lookup', 'error_rate')),
        T0 + 8 * MIN,
        [{ ...errors, signalActive: false }],
        3 * MIN,
      )?.id,
    ).toBe('db')
  })

  it('groups trace findings by kind, agent and tool, and keeps the release comparison per release', () => {
    const loop = findingFacts(finding('tool_loop', 'trace', 'weather', 'repeated_calls'), 'planner')
    expect(loop).toMatchObject({ family: 'loop', scope: { agent: 'planner', tool: 'weather' } })
    const open = [candidate({ id: 'loop', groupKey: loop.groupKey, families: ['loop'] })]
    expect(
      chooseIncident(findingFacts(finding('tool_loop', 'trace', 'weather', 'repeated_calls'), 'planner'), T0, open, 0)
        ?.id,
    ).toBe('loop')
    expect(
      chooseIncident(findingFacts(finding('tool_loop', 'trace', 'search', 'repeated_calls'), 'planner'), T0, open, 0),
    ).toBeUndefined()
    const canary = findingFacts(finding('level_shift', 'release', '1.5.0-canary', 'latency_p95'), 'executor')
    expect(canary).toMatchObject({ family: 'release_latency', scope: { agent: 'executor', release: '1.5.0-canary' } })
    // A cold-start latency spike on a release is a series finding, not the release comparison.
    expect(findingFacts(finding('spike', 'release', '1.5.0-canary', 'latency_p95')).family).toBe('latency')
  })
})

describe('severity', () => {
  it('grows with size and spread; trace rules stay info below their minimum number of traces', () => {
    expect(severityOf('cost', 4, 1, 150).severity).toBe('critical')
    expect(severityOf('cost', 2.2, 1, 3).severity).toBe('warning')
    expect(severityOf('loop', 8, 1, 2).severity).toBe('info')
    expect(severityOf('loop', 8, 1, 3).severity).toBe('warning')
    expect(severityOf('cost', 4, 1, 150).score).toBeGreaterThan(severityOf('cost', 4, 1, 15).score)
  })
})

function incident(over: Partial<StoredIncident> = {}): StoredIncident {
  return {
    projectId: 'p',
    id: 'i'.repeat(32),
    groupKey: 'cost',
    family: 'cost',
    families: ['cost'],
    title: 'Cost spike',
    explanation: '',
    status: 'open',
    resolution: '',
    signal: 'active',
    severity: 'warning',
    severityScore: 3,
    scope: { agent: '', tool: '', model: '', release: '' },
    kind: 'spike',
    dimension: 'total',
    value: '',
    metric: 'cost',
    metrics: ['cost'],
    observed: 4,
    expected: 1,
    firstSeenAt: new Date(T0).toISOString(),
    openedAt: new Date(T0).toISOString(),
    lastSeenAt: new Date(T0).toISOString(),
    recoveredAt: null,
    resolvedAt: null,
    acknowledgedAt: null,
    snoozedUntil: null,
    findings: 1,
    traceCount: 10,
    traceIds: [],
    alerted: false,
    alertedSeverity: '',
    ...over,
  }
}

describe('incident lifecycle', () => {
  it('announces once, escalates once per step up, and recovers after the hold', () => {
    const i = incident()
    expect(alertForSeverity(i)).toBe('opened')
    i.alertedSeverity = 'warning'
    expect(alertForSeverity(i)).toBeUndefined()
    i.severity = 'critical'
    expect(alertForSeverity(i)).toBe('escalated')
    i.alertedSeverity = 'critical'
    setSignal(i, false, T0 + 10 * MIN)
    expect(advance(i, T0 + 12 * MIN, 5 * MIN)).toEqual({ changed: false })
    expect(advance(i, T0 + 15 * MIN, 5 * MIN)).toEqual({ changed: true, alert: 'recovered' })
    expect(i).toMatchObject({ status: 'resolved', resolution: 'recovered', signal: 'normal' })
  })

  it('a finding within the hold keeps it one incident; an unannounced (info) incident recovers silently', () => {
    const i = incident({ severity: 'info' })
    expect(alertForSeverity(i)).toBeUndefined()
    setSignal(i, false, T0)
    setSignal(i, true, T0 + 2 * MIN)
    expect(i.recoveredAt).toBeNull()
    setSignal(i, false, T0 + 3 * MIN)
    expect(advance(i, T0 + 9 * MIN, 5 * MIN)).toEqual({ changed: true })
  })

  it('acknowledged and snoozed incidents are not announced; a snooze runs out into a reopened alert', () => {
    const i = incident({ alertedSeverity: 'warning', alerted: true })
    applyAction(i, 'acknowledge', T0)
    i.severity = 'critical'
    expect(alertForSeverity(i)).toBeUndefined()
    applyAction(i, 'snooze', T0, 30)
    expect(i).toMatchObject({ status: 'snoozed', snoozedUntil: new Date(T0 + 30 * MIN).toISOString() })
    expect(advance(i, T0 + 29 * MIN, 5 * MIN)).toEqual({ changed: false })
    expect(advance(i, T0 + 30 * MIN, 5 * MIN)).toEqual({ changed: true, alert: 'reopened' })
    expect(i.status).toBe('open')
  })

  it('refuses actions that make no sense, and reopens a resolved incident', () => {
    const i = incident()
    applyAction(i, 'resolve', T0)
    expect(i).toMatchObject({ status: 'resolved', resolution: 'manual' })
    expect(() => applyAction(i, 'acknowledge', T0)).toThrow(IncidentActionError)
    expect(() => applyAction(i, 'resolve', T0)).toThrow(IncidentActionError)
    applyAction(i, 'reopen', T0)
    expect(i).toMatchObject({ status: 'open', resolution: '', resolvedAt: null })
    expect(() => applyAction(i, 'reopen', T0)).toThrow(IncidentActionError)
  })
})

describe('explanations', () => {
  const side = (cost: number, traces: number, latencyMs: number[] = [], failures = 0): BreakdownSide => ({
    cost,
    tokens: cost * 1e5,
    traces,
    units: traces,
    failures,
    latency: histogramOf(latencyMs),
  })
  const row = (dimType: string, dimValue: string, window: BreakdownSide, baseline: BreakdownSide): BreakdownRow => ({
    dimType,
    dimValue,
    baselineFirstMs: T0 - 60 * MIN,
    window,
    baseline,
  })
  const lead = {
    kind: 'spike' as const,
    dimension: 'total',
    value: '',
    metric: 'cost' as const,
    observed: 3.9,
    expected: 1,
    summary: '',
  }

  it('names the ratio per trace and the model and agent that drove a cost spike', () => {
    // 5 minutes of window against an hour of baseline, same traffic; the model's cost moved, gpt-4o's did not.
    const rows = [
      row('total', '', side(2.05, 150), side(6, 1800)),
      row('model', 'claude-opus-4', side(1.6, 70), side(0.1, 12)),
      row('model', 'gpt-4o', side(0.45, 80), side(5.9, 1790)),
      row('agent', 'planner', side(1.7, 150), side(2, 1800)),
      row('agent', 'executor', side(0.35, 150), side(4, 1800)),
    ]
    const { title, explanation, driver } = explainIncident({
      family: 'cost',
      families: ['cost'],
      lead,
      firstSeenMs: T0,
      traceCount: 70,
      scope: { agent: '', tool: '', model: '', release: '' },
      breakdown: { rows, windowFromMs: T0, windowToMs: T0 + 5 * MIN },
    })
    expect(title).toBe('Cost spike')
    expect(explanation).toBe('cost per trace 4.1× baseline since 21:20 UTC, driven by claude-opus-4 in planner')
    expect(driver).toEqual({ model: 'claude-opus-4', agent: 'planner' })
  })

  it("compares with the hour before's usual minute, not its sums, so an earlier spike does not hide this one", () => {
    // The baseline hour held an earlier spike (10 minutes at 4× the cost per trace): sums would say 3.1×.
    const usual = Array.from({ length: 50 }, () => ({ cost: 0.1, tokens: 10_000, traces: 30 }))
    const earlier = Array.from({ length: 10 }, () => ({ cost: 0.4, tokens: 40_000, traces: 30 }))
    const rows = [row('total', '', side(2.05, 150), side(9, 1800))]
    const { explanation } = explainIncident({
      family: 'cost',
      families: ['cost'],
      lead,
      firstSeenMs: T0,
      traceCount: 70,
      scope: { agent: '', tool: '', model: '', release: '' },
      breakdown: { rows, windowFromMs: T0, windowToMs: T0 + 5 * MIN, baselineMinutes: [...usual, ...earlier] },
    })
    expect(explanation).toBe('cost per trace 4.1× baseline since 21:20 UTC')
  })

  it('says which tool the errors come from, and tells loops by their traces', () => {
    const rows = [
      row('total', '', side(1, 60, [], 2), side(6, 600, [], 12)),
      row('tool', 'db_lookup', side(0, 60, [], 20), side(0, 600, [], 60)),
      row('tool', 'search', side(0, 60, [], 0), side(0, 600, [], 2)),
    ]
    const errors = explainIncident({
      family: 'errors',
      families: ['errors', 'latency'],
      lead: { ...lead, dimension: 'tool', value: 'db_lookup', metric: 'error_rate', observed: 0.33, expected: 0.1 },
      firstSeenMs: T0,
      traceCount: 20,
      scope: { agent: '', tool: '', model: '', release: '' },
      breakdown: { rows, windowFromMs: T0, windowToMs: T0 + 3 * MIN },
    })
    expect(errors.explanation).toBe(
      'error rate of tool db_lookup 33 % vs 10 % baseline since 21:20 UTC, mostly tool db_lookup; latency up too',
    )
    const loop = explainIncident({
      family: 'loop',
      families: ['loop'],
      lead: {
        ...lead,
        kind: 'tool_loop',
        dimension: 'trace',
        value: 'weather',
        metric: 'repeated_calls',
        observed: 8,
        expected: 1,
      },
      firstSeenMs: T0,
      traceCount: 12,
      scope: { agent: 'planner', tool: 'weather', model: '', release: '' },
      peak: 8,
    })
    expect(loop.explanation).toBe(
      '12 traces looped on tool weather in planner (up to 8 identical calls) since 21:20 UTC',
    )
  })
})
