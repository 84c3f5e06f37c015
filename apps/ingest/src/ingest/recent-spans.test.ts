import { describe, expect, it } from 'vitest'
import { RecentSpans } from './recent-spans.js'

describe('RecentSpans', () => {
  it('reports a key seen before, within the window', () => {
    const recent = new RecentSpans(3)
    expect(recent.seen('a')).toBe(false)
    expect(recent.seen('a')).toBe(true)
  })

  it('remembers at least `capacity` keys and forgets older generations', () => {
    const recent = new RecentSpans(2)
    for (const key of ['a', 'b', 'c', 'd', 'e']) recent.seen(key)
    expect(recent.seen('c')).toBe(true)
    expect(recent.seen('d')).toBe(true)
    expect(recent.seen('a')).toBe(false)
  })

  it('forgets a key on request', () => {
    const recent = new RecentSpans(4)
    recent.seen('a')
    recent.forget('a')
    expect(recent.seen('a')).toBe(false)
  })
})
