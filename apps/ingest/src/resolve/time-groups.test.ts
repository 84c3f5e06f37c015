import { describe, expect, it } from 'vitest'
import { byRows, groupByTime } from './time-groups.js'

describe('byRows', () => {
  const counts = new Map([
    ['a', 10],
    ['b', 30],
    ['c', 100_000],
    ['d', 5],
  ])

  it('keeps small traces together up to the budget and a huge one alone', () => {
    expect(byRows(['a', 'b', 'c', 'd'], counts, 50)).toEqual([['a', 'b'], ['c'], ['d']])
  })

  it('puts every id in exactly one part, in order, unknown ids counting nothing', () => {
    const ids = ['a', 'x', 'b', 'c', 'd', 'y']
    const parts = byRows(ids, counts, 40)
    expect(parts.flat()).toEqual(ids)
    for (const part of parts)
      if (part.length > 1) expect(part.reduce((n, id) => n + (counts.get(id) ?? 0), 0)).toBeLessThanOrEqual(40)
  })

  it('returns no part for no ids', () => {
    expect(byRows([], counts, 10)).toEqual([])
  })
})

describe('groupByTime', () => {
  it('splits traces more than six hours apart', () => {
    const at = (h: number) => `2026-03-01 ${String(h).padStart(2, '0')}:00:00.000000000`
    const groups = groupByTime([
      { traceId: 'late', startMin: at(20), startMax: at(20) },
      { traceId: 'early', startMin: at(1), startMax: at(2) },
      { traceId: 'mid', startMin: at(3), startMax: at(6) },
    ])
    expect(groups.map((g) => g.map((b) => b.traceId))).toEqual([['early', 'mid'], ['late']])
  })
})
