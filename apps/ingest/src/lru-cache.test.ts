import { describe, expect, it } from 'vitest'
import { LruCache } from './lru-cache.js'

describe('LruCache', () => {
  it('evicts the least recently used entry, one at a time', () => {
    const cache = new LruCache<string, number>(3)
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('c', 3)
    expect(cache.get('a')).toBe(1)
    cache.set('d', 4)
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([1, undefined, 3, 4])
    expect(cache.size).toBe(3)
  })

  it('keeps entries in use through a flood of new keys', () => {
    const cache = new LruCache<string, number>(100)
    cache.set('hot', 1)
    for (let i = 0; i < 10_000; i++) {
      cache.set(`flood-${i}`, i)
      if (i % 50 === 0) expect(cache.get('hot')).toBe(1)
    }
    expect(cache.size).toBe(100)
  })
})
