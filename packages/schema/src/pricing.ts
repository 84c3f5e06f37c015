import { z } from 'zod'

// The contract of price overrides (zod only). The maths that turns tokens and a price into dollars
// lives once, in @sightline/core (pricing/cost.ts).

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
 * PutPriceOverrideRequestSchema.parse({ model: 'o3', effectiveFrom: '2025-06-10T00:00:00Z', inputPerMtok: 2,
 * outputPerMtok: 8, cacheReadPerMtok: 0.5, cacheWritePerMtok: null })
 * @alias the request body is the stored override
 */
export const PutPriceOverrideRequestSchema = PriceOverrideSchema
export type PutPriceOverrideRequest = z.infer<typeof PutPriceOverrideRequestSchema>

/**
 * Response of `PUT /api/v1/price-overrides`: the override stored, and how many stored traces that
 * called the model since `effectiveFrom` are queued to be priced again (the resolver does it within
 * seconds; the rollups follow).
 */
export const PutPriceOverrideResponseSchema = z.object({
  override: PriceOverrideSchema,
  repricing: z.object({ traces: z.number().int().nonnegative() }),
})
export type PutPriceOverrideResponse = z.infer<typeof PutPriceOverrideResponseSchema>

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

/** `DELETE /api/v1/price-overrides?model=…&effectiveFrom=…`. */
export const DeletePriceOverrideQuerySchema = z.object({
  model: z.string().min(1),
  effectiveFrom: z.iso.datetime({ offset: true }),
})
export type DeletePriceOverrideQuery = z.infer<typeof DeletePriceOverrideQuerySchema>
