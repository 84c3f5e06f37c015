import { describe, expect, it } from 'vitest'
import { RecentSpans } from './recent-spans.js'

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
