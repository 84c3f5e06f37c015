import type { PriceOverride } from '@sightline/schema'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PriceOverrideLookup } from './overrides.js'

const override = (inputPerMtok: number): PriceOverride => ({
  model: 'acme-1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  inputPerMtok,
  outputPerMtok: 1,
  cacheReadPerMtok: null,
  cacheWritePerMtok: null,
})

afterEach(() => {
  vi.useRealTimers()
})

describe('PriceOverrideLookup', () => {
  it('keeps the same pricer while the overrides are unchanged, and a new one when they change', async () => {
    vi.useFakeTimers()
    let stored = [override(1)]
    const list = vi.fn(async () => stored)
    const lookup = new PriceOverrideLookup({ list })
    const first = await lookup.pricerFor('p')
    expect(await lookup.pricerFor('p')).toBe(first)
    expect(list).toHaveBeenCalledTimes(1)

    vi.advanceTimersByTime(31_000)
    expect(await lookup.pricerFor('p')).toBe(first)
    expect(list).toHaveBeenCalledTimes(2)

    stored = [override(2)]
    vi.advanceTimersByTime(31_000)
    const changed = await lookup.pricerFor('p')
    expect(changed).not.toBe(first)

    lookup.invalidate('p')
    expect(await lookup.pricerFor('p')).not.toBe(changed)
  })
})
