import type { Incident } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { parseDashboardQuery } from '../dashboards/dashboard-url'
import { parseExplorerQuery } from '../explorer/explorer-url'
import { incidentAreas } from './incident-areas'
import { incidentFixture } from './incident.fixture'
import { availableActions, incidentChartLink, incidentsForChart, incidentTracesLink } from './incident-view'

const base = incidentFixture
const NOW = Date.parse('2026-03-10T12:00:30Z')

describe('incident view', () => {
  it('links to the explorer over the incident, narrowed to the model and agent that drove it', () => {
    const q = parseExplorerQuery(incidentTracesLink(base, NOW).split('?')[1]!)
    expect(q).toMatchObject({ range: 'custom', from: '2026-03-10T11:35:00.000Z', sort: 'costUsd' })
    expect(q.lists.model).toEqual(['claude-opus-4'])
    expect(q.lists.agent).toEqual(['planner'])
    expect(Date.parse(q.to)).toBeGreaterThan(NOW)
    const loop = parseExplorerQuery(
      incidentTracesLink(
        { ...base, family: 'loop', scope: { agent: 'planner', tool: 'weather', model: '', release: '' } },
        NOW,
      ).split('?')[1]!,
    )
    expect(loop).toMatchObject({
      outcomes: ['failed'],
      lists: expect.objectContaining({ tool: ['weather'], model: [] }),
    })
  })

  it('links to the dashboards grouped by the driver, and shades only the charts it concerns', () => {
    expect(parseDashboardQuery(incidentChartLink(base, NOW).split('?')[1]!)).toMatchObject({
      range: 'custom',
      from: '2026-03-10T08:40:00.000Z',
      groupBy: 'model',
    })
    const latency: Incident = {
      ...base,
      id: 'c'.repeat(32),
      family: 'release_latency',
      families: ['release_latency'],
      metrics: ['latency_p95'],
    }
    expect(incidentsForChart([base, latency], 'cost').map((i) => i.id)).toEqual([base.id])
    expect(incidentsForChart([base, latency], 'latency').map((i) => i.id)).toEqual([latency.id])
    expect(incidentsForChart([base, latency], 'errors')).toEqual([])
  })

  it('offers the actions that make sense in each state', () => {
    expect(availableActions(base)).toEqual({ acknowledge: true, snooze: true, resolve: true, reopen: false })
    expect(availableActions({ ...base, status: 'acknowledged' })).toEqual({
      acknowledge: false,
      snooze: true,
      resolve: true,
      reopen: true,
    })
    expect(availableActions({ ...base, status: 'resolved' })).toEqual({
      acknowledge: false,
      snooze: false,
      resolve: false,
      reopen: true,
    })
  })
})

describe('incident areas', () => {
  const rows = ['10:00', '11:00', '12:00', '13:00', '14:00'].map((h) => ({ t: `2026-03-10T${h}:00.000Z` }))
  const at = (first: string, recovered: string | null): Incident => ({
    ...base,
    id: first,
    firstSeenAt: first,
    lastSeenAt: recovered ?? first,
    recoveredAt: recovered,
    signal: recovered ? 'normal' : 'active',
  })

  it('snaps an incident outwards to the buckets it touches', () => {
    expect(incidentAreas([at('2026-03-10T11:20:00Z', '2026-03-10T12:40:00Z')], rows, '1h')).toEqual([
      {
        id: '2026-03-10T11:20:00Z',
        x1: '2026-03-10T11:00:00.000Z',
        x2: '2026-03-10T12:00:00.000Z',
        label: 'Cost spike',
        severity: 'critical',
      },
    ])
  })

  it('clips to the chart, runs an active incident to now, and drops incidents outside', () => {
    const now = Date.parse('2026-03-10T13:30:00Z')
    const [open] = incidentAreas([at('2026-03-10T08:00:00Z', null)], rows, '1h', now)
    expect(open).toMatchObject({ x1: '2026-03-10T10:00:00.000Z', x2: '2026-03-10T13:00:00.000Z' })
    expect(
      incidentAreas(
        [at('2026-03-10T16:00:00Z', '2026-03-10T17:00:00Z'), at('2026-03-10T07:00:00Z', '2026-03-10T08:00:00Z')],
        rows,
        '1h',
      ),
    ).toEqual([])
  })
})
