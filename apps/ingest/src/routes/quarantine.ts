import { Hono } from 'hono'
import { GetQuarantineQuerySchema, GetQuarantineResponseSchema } from '@sightline/schema'
import type { Deps } from '../deps.js'
import { badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

/**
 * GET /api/v1/quarantine: the key's project's spans that the store refused (counts by reason and
 * the most recent ids), so that such a loss is never silent. Mounted at `/api/v1/quarantine`.
 */
export function quarantineRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/', withQuerySlot(requireProject(deps), deps.queryLimiter), async (c) => {
    const query = parseOr400(GetQuarantineQuerySchema, c.req.query(), 'query')
    const to = new Date(query.to ?? Date.now()).toISOString()
    const from = new Date(query.from ?? Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    if (Date.parse(from) > Date.parse(to)) throw badRequest('Invalid query: `from` is after `to`.')
    const summary = await deps.quarantine.summary(c.get('projectId'), isoToChTime(from), isoToChTime(to), query.limit)
    return c.json(GetQuarantineResponseSchema.parse({ from, to, ...summary }))
  })
  return app
}
