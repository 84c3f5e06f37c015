import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chTime, chTimeToMs } from '../db/sql.js'
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

  const H = 3_600_000
  const text = (ms: number) => `${chTime(ms)}000000`
  const trace = (traceId: string, fromH: number, toH: number) => ({
    traceId,
    startMin: text(Date.UTC(2026, 2, 1) + fromH * H),
    startMax: text(Date.UTC(2026, 2, 1) + toH * H),
  })
  const ids = (groups: Array<Array<{ traceId: string }>>) => groups.map((g) => g.map((b) => b.traceId))

  it('reads traces longer than six hours together, not one read and insert each', () => {
    const groups = groupByTime([
      trace('long-a', 0, 30),
      trace('short', 10, 11),
      trace('long-b', 20, 40),
      trace('long-c', 45, 60),
      trace('long-far', 200, 210),
    ])
    expect(ids(groups)).toEqual([['short'], ['long-a', 'long-b', 'long-c'], ['long-far']])
  })

  it('puts every trace in one group; short groups stay within 6 h; a long group reads under twice their ranges', () => {
    const hours = fc.integer({ min: 0, max: 24 * 30 })
    const arb = fc.array(fc.tuple(hours, fc.integer({ min: 0, max: 48 })), { maxLength: 60 })
    fc.assert(
      fc.property(arb, (spans) => {
        const bounds = spans.map(([from, len], i) => trace(`t${i}`, from, from + len))
        const groups = groupByTime(bounds)
        expect(
          groups
            .flat()
            .map((b) => b.traceId)
            .sort(),
        ).toEqual(bounds.map((b) => b.traceId).sort())
        for (const group of groups) {
          const ranges = group.map((b) => [chTimeToMs(b.startMin), chTimeToMs(b.startMax)])
          const hull = Math.max(...ranges.map(([, e]) => e!)) - Math.min(...ranges.map(([s]) => s!))
          const longest = Math.max(...ranges.map(([s, e]) => e! - s!))
          if (longest <= 6 * H) expect(hull).toBeLessThanOrEqual(6 * H)
          else expect(hull).toBeLessThan(2 * ranges.reduce((n, [s, e]) => n + e! - s!, 0))
        }
      }),
    )
  })
})
