import { z } from 'zod'

// Browser-safe: zod only. Ingest prices spans with these helpers and web re-prices with the same
// maths when it shows overrides, so the two can never disagree.

const perMtok = z.number().nonnegative()

/**
 * USD per million tokens for one model. A null cache price means "billed as ordinary input",
 * which is what providers without prompt caching do.
 *
 * @example
 * ModelPriceSchema.parse({ inputPerMtok: 2.5, outputPerMtok: 10, cacheReadPerMtok: 1.25, cacheWritePerMtok: null })
 */
export const ModelPriceSchema = z.object({
  inputPerMtok: perMtok,
  outputPerMtok: perMtok,
  cacheReadPerMtok: perMtok.nullable(),
  cacheWritePerMtok: perMtok.nullable(),
})
export type ModelPrice = z.infer<typeof ModelPriceSchema>

/**
 * A project's own price for a model, in force from `effectiveFrom` until the next override.
 * Mirrors the `model_prices` table; `model` is matched exactly against the stored span model.
 *
 * @example
 * PriceOverrideSchema.parse({
 *   model: 'gpt-4o', effectiveFrom: '2025-01-01T00:00:00Z',
 *   inputPerMtok: 2, outputPerMtok: 8, cacheReadPerMtok: null, cacheWritePerMtok: null,
 * })
 */
export const PriceOverrideSchema = ModelPriceSchema.extend({
  model: z.string().min(1),
  provider: z.string().optional(),
  effectiveFrom: z.iso.datetime({ offset: true }),
})
export type PriceOverride = z.infer<typeof PriceOverrideSchema>

/**
 * Body of `PUT /api/v1/price-overrides`: one override, upserted by (model, effectiveFrom).
 *
 * @example
 * PutPriceOverrideRequestSchema.parse({ model: 'o3', effectiveFrom: '2025-06-10T00:00:00Z', inputPerMtok: 2, outputPerMtok: 8, cacheReadPerMtok: 0.5, cacheWritePerMtok: null })
 */
export const PutPriceOverrideRequestSchema = PriceOverrideSchema
export type PutPriceOverrideRequest = z.infer<typeof PutPriceOverrideRequestSchema>

/**
 * Response of `GET /api/v1/price-overrides`, oldest `effectiveFrom` first per model.
 *
 * @example
 * ListPriceOverridesResponseSchema.parse({ overrides: [] })
 */
export const ListPriceOverridesResponseSchema = z.object({
  overrides: z.array(PriceOverrideSchema),
})
export type ListPriceOverridesResponse = z.infer<typeof ListPriceOverridesResponseSchema>

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
