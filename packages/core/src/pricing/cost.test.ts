import { describe, expect, it } from 'vitest'
import type { ModelPrice } from '@sightline/schema'
import { costFromTokens, formatCostUsd, type TokenCounts } from './cost.js'

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...t,
})

// Distinct prices per bucket so each term is identifiable in the expected sums.
const price: ModelPrice = { inputPerMtok: 3, outputPerMtok: 15, cacheReadPerMtok: 0.3, cacheWritePerMtok: 3.75 }

describe('costFromTokens', () => {
  it('bills plain input and output per million tokens', () => {
    expect(costFromTokens(tokens({ inputTokens: 1_000_000, outputTokens: 2_000_000 }), price)).toBeCloseTo(33, 12)
  })

  it('treats cache reads and writes as part of input and bills them at their own prices', () => {
    // 100 uncached × 3 + 2000 read × 0.3 + 500 write × 3.75 + 100 out × 15 = 4275 µ$
    const t = tokens({ inputTokens: 2600, cachedInputTokens: 2000, cacheWriteTokens: 500, outputTokens: 100 })
    expect(costFromTokens(t, price)).toBeCloseTo(0.004275, 15)
  })

  it('does not add reasoning tokens on top of output', () => {
    const withReasoning = tokens({ outputTokens: 1000, reasoningTokens: 800 })
    expect(costFromTokens(withReasoning, price)).toBeCloseTo(0.015, 15)
  })

  it('falls back to the input price when cache prices are null', () => {
    const noCache: ModelPrice = { inputPerMtok: 2, outputPerMtok: 8, cacheReadPerMtok: null, cacheWritePerMtok: null }
    const t = tokens({ inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 300 })
    expect(costFromTokens(t, noCache)).toBeCloseTo(0.002, 15)
  })

  it('floors uncached input at zero when cache counts exceed the input total', () => {
    // Anthropic-style exclusive input (100) with 2000 cache reads: no negative uncached term.
    const t = tokens({ inputTokens: 100, cachedInputTokens: 2000 })
    expect(costFromTokens(t, price)).toBeCloseTo(0.0006, 15)
  })
})

describe('formatCostUsd', () => {
  it.each([
    [0.0002975000000000001, '0.0002975'],
    [0.1 + 0.2, '0.3'],
    [12, '12'],
    [10.5, '10.5'],
    [0, '0'],
    [1e-11, '0'],
    [0.00000000016, '0.0000000002'],
  ])('%s → %s', (usd, text) => {
    expect(formatCostUsd(usd)).toBe(text)
  })
})
