import { describe, expect, it } from 'vitest'
import { parseDashboardQuery, resolveDashboardRange, serializeDashboardQuery, stepFor } from './dashboard-url'

describe('dashboard URL state', () => {
  it('round-trips presets, custom ranges and the group-by, and keeps defaults out of the URL', () => {
    expect(serializeDashboardQuery(parseDashboardQuery(''))).toBe('')
    const custom = parseDashboardQuery('?from=2026-03-10T00:00:00Z&to=2026-03-10T06:00:00Z&groupBy=release')
    expect(custom).toEqual({
      range: 'custom',
      from: '2026-03-10T00:00:00Z',
      to: '2026-03-10T06:00:00Z',
      groupBy: 'release',
    })
    expect(parseDashboardQuery(`?${serializeDashboardQuery(custom)}`)).toEqual(custom)
    expect(parseDashboardQuery('?range=7d&groupBy=agent')).toMatchObject({ range: '7d', groupBy: 'agent' })
  })

  it('falls back to defaults on nonsense', () => {
    expect(parseDashboardQuery('?range=3y&groupBy=planet&from=yesterday&to=x')).toEqual({
      range: '24h',
      from: '',
      to: '',
      groupBy: 'model',
    })
    expect(parseDashboardQuery('?from=2026-03-10T06:00:00Z&to=2026-03-10T00:00:00Z').range).toBe('24h')
  })

  it('resolves presets against now and picks a step per range length', () => {
    const now = Date.parse('2026-03-10T12:00:00Z')
    expect(resolveDashboardRange(parseDashboardQuery('?range=6h'), now)).toEqual({
      from: '2026-03-10T06:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
    })
    const span = (h: number) => ({ from: new Date(now - h * 3_600_000).toISOString(), to: new Date(now).toISOString() })
    expect([stepFor(span(6)), stepFor(span(24)), stepFor(span(24 * 7)), stepFor(span(24 * 30))]).toEqual([
      '5m',
      '1h',
      '1h',
      '1d',
    ])
  })
})
