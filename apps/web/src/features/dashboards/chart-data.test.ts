import type { Series } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { combineSeries, formatBucket, formatCostTick, hasData, seriesToChart } from './chart-data'

const pts = (values: Array<number | null>, start = '2026-03-10T10:00:00.000Z', stepMs = 3_600_000) =>
  values.map((value, i) => ({ t: new Date(Date.parse(start) + i * stepMs).toISOString(), value }))
const series = (key: string, values: Array<number | null>, isOther = false): Series => ({
  key,
  isOther,
  total: null,
  points: pts(values),
})

describe('seriesToChart', () => {
  it('keys series by position (model names contain dots), puts "other" last and names the total', () => {
    const data = seriesToChart([series('', [9, 9], true), series('gpt-4.1', [1, 2]), series('o3', [3, null])], 'model')
    expect(data.series.map(({ dataKey, name, value }) => ({ dataKey, name, value }))).toEqual([
      { dataKey: 's0', name: 'gpt-4.1', value: 'gpt-4.1' },
      { dataKey: 's1', name: 'o3', value: 'o3' },
      { dataKey: 's2', name: 'Other', value: null },
    ])
    expect(data.rows).toEqual([
      { t: '2026-03-10T10:00:00.000Z', s0: 1, s1: 3, s2: 9 },
      { t: '2026-03-10T11:00:00.000Z', s0: 2, s1: null, s2: 9 },
    ])
    expect(seriesToChart([series('', [1])], 'total').series[0]!.name).toBe('Total')
  })

  it('labels the share no value is attributed to as "unattributed" on a split, never dropping it', () => {
    const data = seriesToChart([series('planner', [2, 2]), series('', [1, 0])], 'agent')
    expect(data.series.map((s) => [s.name, s.value, s.isUnattributed])).toEqual([
      ['planner', 'planner', false],
      ['unattributed', '', true],
    ])
    expect(data.rows[0]).toEqual({ t: '2026-03-10T10:00:00.000Z', s0: 2, s1: 1 })
  })

  it("combines single-series responses under the caller's names, skipping missing ones", () => {
    const data = combineSeries([
      { name: 'p50', series: series('', [10, 20]) },
      { name: 'p95', series: undefined },
      { name: 'p99', series: series('', [30, 40]) },
    ])
    expect(data.series.map((s) => [s.dataKey, s.name])).toEqual([
      ['s0', 'p50'],
      ['s1', 'p99'],
    ])
    expect(data.rows[1]).toEqual({ t: '2026-03-10T11:00:00.000Z', s0: 20, s1: 40 })
  })

  it('knows when a chart has nothing to show', () => {
    expect(hasData(seriesToChart([series('', [0, null])], 'total'))).toBe(false)
    expect(hasData(seriesToChart([series('', [0, 0.5])], 'total'))).toBe(true)
  })
})

describe('formatBucket', () => {
  it('shows times within a day, dates across days, dates alone for daily steps', () => {
    const t = new Date(2026, 2, 9, 14, 5).toISOString()
    expect(formatBucket(t, '5m', false)).toBe('14:05')
    expect(formatBucket(t, '1h', true)).toBe('03-09 14:05')
    expect(formatBucket(t, '1d', true)).toBe('03-09')
  })
})

describe('formatCostTick', () => {
  it('keeps axis money short', () => {
    expect([0, 0.004, 0.8, 12.4, 2400].map(formatCostTick)).toEqual(['$0', '$0.004', '$0.80', '$12', '$2.4k'])
  })
})
