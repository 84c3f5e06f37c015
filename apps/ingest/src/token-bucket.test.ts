import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket.js'

describe('TokenBucket', () => {
  it('allows a burst, then the rate', () => {
    const bucket = new TokenBucket(10, 5, 0)
    expect(Array.from({ length: 7 }, () => bucket.take(0))).toEqual([true, true, true, true, true, false, false])
    expect(bucket.take(99)).toBe(false)
    expect(bucket.take(100)).toBe(true)
    expect(bucket.take(10_000)).toBe(true)
    expect(Array.from({ length: 5 }, () => bucket.take(10_000)).filter(Boolean)).toHaveLength(4)
  })
})
