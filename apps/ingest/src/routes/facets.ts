import { Hono } from 'hono'
import { FacetsQuerySchema, type FacetsResponse } from '@sightline/schema'
import type { Deps } from '../deps.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

export function facetRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', withQuerySlot(requireProject(deps), deps.queryLimiter))
  app.get('/', async (c) => {
    const query = parseOr400(FacetsQuerySchema, c.req.query(), 'query')
    const to = query.to ?? new Date().toISOString()
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    const body: FacetsResponse = await deps.traceList.facets(c.get('projectId'), isoToChTime(from), isoToChTime(to))
    return c.json(body)
  })
  return app
}
