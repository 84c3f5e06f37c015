import type { Anomaly } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { parseDashboardQuery } from '../dashboards/dashboard-url'
import { parseExplorerQuery } from '../explorer/explorer-url'
import { chartLink, formatMetricValue, howFar, tracesLink, whereText } from './anomaly-view'

const base: Anomaly = {
  id: 'a'.repeat(32),
  kind: 'spike',
  dimension: 'model',
  value: 'claude-opus-4',
  metric: 'cost',
  status: 'open',
  severity: 'critical',
  startedAt: '2026-03-10T11:40:00.000Z',
  lastSeenAt: '2026-03-10T12:00:00.000Z',
  endedAt: null,
  observed: 4.2,
  expected: 1,
  score: 9.1,
  traceIds: ['b'.repeat(32), 'c'.repeat(32)],
  summary: 'Spike in cost',
  incidentId: '',
}
const NOW = Date.parse('2026-03-10T12:00:30Z')

describe('anomaly view', () => {
  it("says where and how far from normal, in the metric's unit", () => {
    expect(whereText(base)).toBe('model claude-opus-4')
    expect(whereText({ ...base, dimension: 'total', value: '' })).toBe('project total')
    expect(howFar(base)).toBe('4.2× expected')
    expect(formatMetricValue(base, 4.2)).toBe('$4.20')
    expect(formatMetricValue({ ...base, metric: 'latency_p95' }, 2500)).toBe('2.50s')
    expect(howFar({ ...base, expected: 0, observed: 3, metric: 'tool_errors' })).toBe('3 above expected')
  })

  it('links a series anomaly to the explorer over its episode, filtered to its value', () => {
    const q = parseExplorerQuery(tracesLink(base, NOW).split('?')[1]!)
    expect(q).toMatchObject({ range: 'custom', from: '2026-03-10T11:35:00.000Z', sort: 'costUsd' })
    expect(q.lists.model).toEqual(['claude-opus-4'])
    expect(Date.parse(q.to)).toBeGreaterThan(NOW)
  })

  it('links a one-trace anomaly to that trace, and a series anomaly to its chart', () => {
    expect(
      tracesLink({ ...base, kind: 'tool_loop', dimension: 'trace', value: 'weather', traceIds: ['d'.repeat(32)] }),
    ).toBe(`/traces/${'d'.repeat(32)}`)
    const dash = parseDashboardQuery(chartLink({ ...base, dimension: 'agent', value: 'planner' }, NOW).split('?')[1]!)
    expect(dash).toMatchObject({ range: 'custom', from: '2026-03-10T08:40:00.000Z', groupBy: 'agent' })
  })
})
