import { describe, expect, it } from 'vitest'
import { buildSpanTree, flattenVisible, isoToEpochMs, type TreeSpan } from './span-tree.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number) => new Date(T0 + ms).toISOString()
const span = (spanId: string, parentSpanId: string, start: number, end: number): TreeSpan => ({
  spanId,
  parentSpanId,
  startTime: iso(start),
  endTime: iso(end),
})

describe('isoToEpochMs', () => {
  it('keeps sub-millisecond digits', () => {
    expect(isoToEpochMs('2026-01-01T00:00:00.000500000Z') - T0).toBeCloseTo(0.5, 6)
    expect(isoToEpochMs('2026-01-01T00:00:01Z')).toBe(T0 + 1000)
  })
})

describe('buildSpanTree', () => {
  it('sorts children by start time and sets depth', () => {
    const tree = buildSpanTree([
      span('c', 'a', 50, 60),
      span('a', '', 0, 100),
      span('b', 'a', 10, 20),
      span('d', 'b', 11, 12),
    ])
    expect(tree.roots.map((n) => n.span.spanId)).toEqual(['a'])
    expect(tree.roots[0]!.children.map((n) => n.span.spanId)).toEqual(['b', 'c'])
    expect(tree.byId.get('d')!.depth).toBe(2)
    expect(tree.endMs - tree.startMs).toBe(100)
  })

  it('turns spans whose parent is missing into flagged roots', () => {
    const tree = buildSpanTree([span('a', '', 0, 100), span('x', 'missing', 5, 6)])
    expect(tree.roots.map((n) => [n.span.spanId, n.isOrphan])).toEqual([
      ['a', false],
      ['x', true],
    ])
  })

  it('breaks parent cycles instead of losing spans', () => {
    const tree = buildSpanTree([span('a', 'b', 0, 10), span('b', 'a', 1, 2)])
    expect(flattenVisible(tree, new Set())).toHaveLength(2)
    expect(tree.roots).toHaveLength(1)
    expect(tree.roots[0]!.isOrphan).toBe(true)
  })

  it('handles 100k spans in a chain and flat without recursion', () => {
    const chain: TreeSpan[] = []
    for (let i = 0; i < 100_000; i++) chain.push(span(`s${i}`, i ? `s${i - 1}` : '', i, 200_000 - i))
    const deep = buildSpanTree(chain.reverse())
    expect(deep.byId.get('s99999')!.depth).toBe(99_999)
    expect(flattenVisible(deep, new Set())).toHaveLength(100_000)
    const flat = [span('root', '', 0, 1e6)]
    for (let i = 0; i < 100_000; i++) flat.push(span(`f${i}`, 'root', 100_000 - i, 100_001 - i))
    const wide = buildSpanTree(flat)
    expect(wide.roots[0]!.children[0]!.span.spanId).toBe('f99999')
  })
})

describe('flattenVisible', () => {
  const tree = buildSpanTree([
    span('a', '', 0, 100),
    span('b', 'a', 10, 20),
    span('d', 'b', 11, 12),
    span('c', 'a', 50, 60),
  ])
  it('is depth-first in start order', () => {
    expect(flattenVisible(tree, new Set()).map((n) => n.span.spanId)).toEqual(['a', 'b', 'd', 'c'])
  })
  it('hides descendants of collapsed spans', () => {
    expect(flattenVisible(tree, new Set(['b'])).map((n) => n.span.spanId)).toEqual(['a', 'b', 'c'])
    expect(flattenVisible(tree, new Set(['a'])).map((n) => n.span.spanId)).toEqual(['a'])
  })
})
