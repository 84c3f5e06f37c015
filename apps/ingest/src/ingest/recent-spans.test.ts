import { describe, expect, it } from 'vitest'
import { hash64, RecentSpans } from './recent-spans.js'

describe('RecentSpans', () => {
  it('reports a key added before, within the window', () => {
    const recent = new RecentSpans(3)
    expect(recent.has('a')).toBe(false)
    recent.add('a')
    expect(recent.has('a')).toBe(true)
  })

  it('remembers at least `capacity` keys and forgets older generations', () => {
    const recent = new RecentSpans(2)
    for (const key of ['a', 'b', 'c', 'd', 'e']) recent.add(key)
    expect(recent.has('c')).toBe(true)
    expect(recent.has('d')).toBe(true)
    expect(recent.has('e')).toBe(true)
    expect(recent.has('a')).toBe(false)
  })
})

describe("RecentSpans at the writer's size", () => {
  const key = (i: number) => `default/${i.toString(16).padStart(32, '0')}/${(i * 7919).toString(16).padStart(16, '0')}`

  it('remembers the last full generation and takes no unseen key for a recent one', () => {
    const recent = new RecentSpans(200_000)
    for (let i = 0; i < 500_000; i++) recent.add(key(i))
    // Generations roll at 200k and 400k: the 100k keys since, and the 200k before them, are kept.
    for (let i = 200_000; i < 500_000; i++) if (!recent.has(key(i))) throw new Error(`forgot ${i}`)
    let falsePositives = 0
    for (let i = 500_000; i < 1_500_000; i++) if (recent.has(key(i))) falsePositives++
    expect(falsePositives).toBe(0)
    expect(recent.has(key(0))).toBe(false)
  })

  it('hashes keys that differ in one character apart', () => {
    const seen = new Set<string>()
    for (const k of ['p/aa/01', 'p/aa/10', 'p/ab/01', 'q/aa/01', 'p/aa/011']) seen.add(hash64(k).join(':'))
    expect(seen.size).toBe(5)
  })
})
