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

  it('reads the common UTC form exactly as the general parse does, and leaves the rest to it', () => {
    // The general parse, as it was before the digit-by-digit path (the reference).
    const general = (iso: string) => {
      const dot = iso.indexOf('.')
      if (dot < 0) return Date.parse(iso)
      const end = iso.length - 1
      return Date.parse(iso.slice(0, dot) + iso.slice(end)) + Number(`0.${iso.slice(dot + 1, end)}`) * 1000
    }
    let seed = 7
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % below
    }
    const pad = (v: number, width: number) => String(v).padStart(width, '0')
    for (let i = 0; i < 20_000; i++) {
      const date = new Date(Date.UTC(1000 + next(9000), 0, 1) + next(366) * 86_400_000 + next(86_400_000))
      const digits = next(16)
      const fraction =
        digits === 0
          ? ''
          : `.${pad(next(10 ** Math.min(digits, 9)), Math.min(digits, 9))}${'7'.repeat(Math.max(0, digits - 9))}`
      const iso = `${date.toISOString().slice(0, 19)}${fraction}Z`
      expect(isoToEpochMs(iso), iso).toBe(general(iso))
    }
    for (const iso of ['2024-02-29T23:59:59.5Z', '2000-02-29T00:00:00Z', '1999-12-31T23:59:59.999999999Z'])
      expect(isoToEpochMs(iso), iso).toBe(general(iso))
    // Not the common form: what Date.parse makes of it (NaN included), never a rolled-over date.
    for (const iso of ['2023-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '0099-01-01T00:00:00Z'])
      expect(Object.is(isoToEpochMs(iso), Date.parse(iso)), iso).toBe(true)
    expect(isoToEpochMs('2026-01-01T00:00:00.5+01:00')).toBe(T0 - 3_600_000 + 500)
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
