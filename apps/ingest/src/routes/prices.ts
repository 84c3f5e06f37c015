import { Hono } from 'hono'
import { PutPriceOverrideRequestSchema, type ListPriceOverridesResponse } from '@sightline/schema'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'

const DeleteQuerySchema = z.object({ model: z.string().min(1), effectiveFrom: z.iso.datetime({ offset: true }) })

/** Project price overrides: re-price LLM spans from `effectiveFrom` on, at query time. */
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
    await deps.prices.put(c.get('projectId'), override)
    return c.json({ override })
  })
  app.delete('/', async (c) => {
    const query = parseOr400(DeleteQuerySchema, c.req.query(), 'query')
    await deps.prices.remove(c.get('projectId'), query.model, query.effectiveFrom)
    return c.body(null, 204)
  })
  return app
}
