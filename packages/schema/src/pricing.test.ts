import { describe, expect, it } from 'vitest'
import { ListPriceOverridesResponseSchema, PriceOverrideSchema } from './pricing.js'

describe('price override contract', () => {
  const override = {
    model: 'gpt-4o',
    effectiveFrom: '2025-01-01T00:00:00Z',
    inputPerMtok: 2,
    outputPerMtok: 8,
    cacheReadPerMtok: null,
    cacheWritePerMtok: 2.5,
  }

  it('round-trips a valid override through the list response', () => {
    expect(ListPriceOverridesResponseSchema.parse({ overrides: [override] })).toEqual({ overrides: [override] })
  })

  it('rejects negative prices, empty models and non-ISO dates', () => {
    expect(PriceOverrideSchema.safeParse({ ...override, inputPerMtok: -1 }).success).toBe(false)
    expect(PriceOverrideSchema.safeParse({ ...override, model: '' }).success).toBe(false)
    expect(PriceOverrideSchema.safeParse({ ...override, effectiveFrom: '2025-01-01' }).success).toBe(false)
  })
})
