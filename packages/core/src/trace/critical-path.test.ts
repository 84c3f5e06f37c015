import { describe, expect, it } from 'vitest'
import { criticalPath } from './critical-path.js'
import { buildSpanTree, type TreeSpan } from './span-tree.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const span = (spanId: string, parentSpanId: string, start: number, end: number): TreeSpan => ({
  spanId,
  parentSpanId,
  startTime: new Date(T0 + start).toISOString(),
  endTime: new Date(T0 + end).toISOString(),
})
const path = (spans: TreeSpan[]) =>
  criticalPath(buildSpanTree(spans)).sections.map((s) => `${s.spanId}:${s.startMs - T0}-${s.endMs - T0}`)

describe('criticalPath', () => {
  it('is the root alone without children', () => {
    expect(path([span('r', '', 0, 10)])).toEqual(['r:0-10'])
  })

  it('follows sequential children and the gaps between them', () => {
    expect(path([span('r', '', 0, 100), span('a', 'r', 10, 40), span('b', 'r', 50, 90)])).toEqual([
      'r:90-100',
      'b:50-90',
      'r:40-50',
      'a:10-40',
      'r:0-10',
    ])
  })

  it('skips a child that overlaps the one it returns from (Jaeger case)', () => {
    // b ends last; a overlaps b's start, so it is not critical; c ends before b starts.
    const sections = path([
      span('r', '', 0, 100),
      span('c', 'r', 5, 15),
      span('a', 'r', 20, 70),
      span('b', 'r', 30, 90),
    ])
    expect(sections).toEqual(['r:90-100', 'b:30-90', 'r:15-30', 'c:5-15', 'r:0-5'])
  })

  it('descends into grandchildren and clips children that outlive their parent', () => {
    const spans = [span('r', '', 0, 100), span('a', 'r', 10, 80), span('a1', 'a', 20, 120), span('late', 'r', 150, 160)]
    const result = criticalPath(buildSpanTree(spans))
    expect(result.spanIds).toEqual(new Set(['r', 'a', 'a1']))
    expect(path(spans)).toEqual(['r:80-100', 'a1:20-80', 'a:10-20', 'r:0-10'])
  })

  it('puts a span fully covered by its child on the chain', () => {
    const result = criticalPath(buildSpanTree([span('r', '', 0, 10), span('c', 'r', 0, 10)]))
    expect([...result.spanIds]).toEqual(['r', 'c'])
  })

  it('is linear on 100k siblings', () => {
    const spans = [span('r', '', 0, 200_000)]
    for (let i = 0; i < 100_000; i++) spans.push(span(`s${i}`, 'r', i * 2, i * 2 + 3))
    const started = performance.now()
    const result = criticalPath(buildSpanTree(spans))
    expect(performance.now() - started).toBeLessThan(3000)
    expect(result.spanIds.has('s99999')).toBe(true)
  })
})
