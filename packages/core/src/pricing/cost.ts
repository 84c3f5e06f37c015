/**
 * @module pricing/cost
 * The one cost formula: tokens and a per-million-token price → USD. Ingest prices every model call
 * with it, the resolver re-prices with project overrides through it, and the console shows the same
 * maths; nothing else computes a cost.
 */
import type { ModelPrice } from '@sightline/schema'

/**
 * Token counters of one provider call, following the OTel GenAI convention: `inputTokens` INCLUDES
 * cache reads and cache writes, and `reasoningTokens` is a subset of `outputTokens`.
 */
export interface TokenCounts {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

/**
 * USD for one call. Uncached input is `input − cacheRead − cacheWrite`, floored at 0 so a producer
 * that reports Anthropic-style exclusive input is under-billed rather than billed negative.
 * Reasoning tokens are already inside `outputTokens`, so they are not added again.
 *
 * @example
 * // gpt-4o: 42 uncached × $2.5 + 10 cached × $1.25 + 18 out × $10, per million
 * costFromTokens(
 *   { inputTokens: 52, outputTokens: 18, cachedInputTokens: 10, cacheWriteTokens: 0, reasoningTokens: 4 },
 *   { inputPerMtok: 2.5, outputPerMtok: 10, cacheReadPerMtok: 1.25, cacheWritePerMtok: null },
 * ) // ≈ 0.0002975
 */
export function costFromTokens(tokens: TokenCounts, price: ModelPrice): number {
  const cacheRead = Math.max(0, tokens.cachedInputTokens)
  const cacheWrite = Math.max(0, tokens.cacheWriteTokens)
  const uncached = Math.max(0, tokens.inputTokens - cacheRead - cacheWrite)
  const cacheReadPrice = price.cacheReadPerMtok ?? price.inputPerMtok
  const cacheWritePrice = price.cacheWritePerMtok ?? price.inputPerMtok
  const micro =
    uncached * price.inputPerMtok +
    cacheRead * cacheReadPrice +
    cacheWrite * cacheWritePrice +
    Math.max(0, tokens.outputTokens) * price.outputPerMtok
  return micro / 1_000_000
}

/**
 * A USD amount as the decimal string stored in `cost_usd` (Decimal(18, 10)): 10 places, trailing
 * zeros trimmed, so float noise such as 0.30000000000000004 never reaches the database.
 *
 * @example
 * formatCostUsd(0.0002975000000000001) // '0.0002975'
 */
export function formatCostUsd(usd: number): string {
  // toFixed(10) always has a decimal point, so trimming zeros cannot eat integer digits.
  const trimmed = usd.toFixed(10).replace(/0+$/, '').replace(/\.$/, '')
  return trimmed === '-0' ? '0' : trimmed
}
