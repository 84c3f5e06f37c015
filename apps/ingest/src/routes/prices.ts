import { Hono } from 'hono'
import {
  DeletePriceOverrideQuerySchema,
  PutPriceOverrideRequestSchema,
  type ListPriceOverridesResponse,
  type PutPriceOverrideResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'

/**
 * Project price overrides. Spans are never rewritten: a changed price drops the cached prices and has
 * the resolver resolve again every trace that called the model since `effectiveFrom` (their stored
 * cost, the rollups and the list follow); the answer says how many traces are being re-priced.
 */
export function priceRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', withQuerySlot(requireProject(deps), deps.queryLimiter))
  app.get('/', async (c) => {
    const body: ListPriceOverridesResponse = { overrides: await deps.prices.list(c.get('projectId')) }
    return c.json(body)
  })
  app.put('/', async (c) => {
    const json = await c.req.json().catch(() => {
      throw badRequest('Malformed JSON in request body')
    })
    const override = parseOr400(PutPriceOverrideRequestSchema, json, 'price override')
    const projectId = c.get('projectId')
    await deps.prices.put(projectId, override)
    const repricing = await reprice(deps, projectId, override.model, override.effectiveFrom)
    const body: PutPriceOverrideResponse = { override, repricing }
    return c.json(body)
  })
  app.delete('/', async (c) => {
    const query = parseOr400(DeletePriceOverrideQuerySchema, c.req.query(), 'query')
    const projectId = c.get('projectId')
    await deps.prices.remove(projectId, query.model, query.effectiveFrom)
    await reprice(deps, projectId, query.model, query.effectiveFrom)
    return c.body(null, 204)
  })
  return app
}

async function reprice(
  deps: Deps,
  projectId: string,
  model: string,
  effectiveFrom: string,
): Promise<{ traces: number }> {
  deps.priceLookup.invalidate(projectId)
  return { traces: await deps.resolver.reprice(projectId, model, effectiveFrom) }
}
