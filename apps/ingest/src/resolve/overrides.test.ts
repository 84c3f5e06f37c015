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
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2))
    expect(await lookup.pricerFor('p')).toBe(first)

    stored = [override(2)]
    vi.advanceTimersByTime(31_000)
    // Served while the list is read again; the next call has the new pricer.
    expect(await lookup.pricerFor('p')).toBe(first)
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(3))
    const changed = await lookup.pricerFor('p')
    expect(changed).not.toBe(first)

    lookup.invalidate('p')
    expect(await lookup.pricerFor('p')).not.toBe(changed)
  })

  it('never makes a request wait for the list once it has a pricer, and reads it once at a time', async () => {
    vi.useFakeTimers()
    const list = vi.fn(async () => [override(1)])
    const lookup = new PriceOverrideLookup({ list })
    const first = await lookup.pricerFor('p')
    list.mockImplementation(() => new Promise(() => {}))
    vi.advanceTimersByTime(31_000)
    expect(await Promise.all([lookup.pricerFor('p'), lookup.pricerFor('p')])).toEqual([first, first])
    expect(list).toHaveBeenCalledTimes(2)
  })

  it('does not keep a list read before an invalidation', async () => {
    let release!: () => void
    const list = vi
      .fn<() => Promise<PriceOverride[]>>()
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve([override(1)]))))
      .mockResolvedValue([override(2)])
    const lookup = new PriceOverrideLookup({ list })
    const before = lookup.pricerFor('p')
    lookup.invalidate('p')
    const after = await lookup.pricerFor('p')
    release()
    expect(await before).not.toBe(after)
    expect(await lookup.pricerFor('p')).toBe(after)
    expect(list).toHaveBeenCalledTimes(2)
  })
})
