import { Hono } from 'hono'
import {
  DiscoveryAgentsQuerySchema,
  DiscoveryToolsQuerySchema,
  EdgeTracesQuerySchema,
  RegisterCardRequestSchema,
  RegistryEventsQuerySchema,
  RegistryRangeQuerySchema,
  TraceOutcomeSchema,
  type CardRevisionsResponse,
  type EdgeTracesResponse,
  type RegistryEventsResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { AppError, badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { cardRecord } from '../registry/cards.js'
import { DEFAULT_RANGE_MS } from './time-range.js'

/** A card is a small document; anything bigger is not one. */
const MAX_CARD_BYTES = 1024 * 1024

function range(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = new Date(query.to ?? Date.now()).toISOString()
  const from = new Date(query.from ?? Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
  if (Date.parse(from) >= Date.parse(to)) throw badRequest('Invalid query: `from` must be before `to`.')
  return { from, to }
}

/**
 * `/api/v1/registry/*`: the fleet registry. Card registration (from the SDK and the CLI; the server
 * never fetches a card itself), the console's views (agents, tools, fleet map, drift events), and the
 * discovery exports `/agents` (Agent Cards) and `/tools` (MCP `server.json`). Scoped to the caller's project.
 */
export function registryRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', withQuerySlot(requireProject(deps), deps.queryLimiter))
  const registry = deps.registry

  app.post('/cards', async (c) => {
    const text = await c.req.text()
    if (Buffer.byteLength(text) > MAX_CARD_BYTES)
      throw new AppError(413, 'too_large', `Agent Card requests are limited to ${MAX_CARD_BYTES} bytes`)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      throw badRequest(`Malformed JSON in request body: ${(err as Error).message}`)
    }
    const request = parseOr400(RegisterCardRequestSchema, json, 'card registration')
    const answer = await registry.cards.register(c.get('projectId'), request)
    return c.json(answer, answer.created ? 201 : 200)
  })

  app.get('/cards/:agent', async (c) => {
    const agent = c.req.param('agent')
    const revisions = (await registry.repository.cards(c.get('projectId'), agent)).map(cardRecord)
    const body: CardRevisionsResponse = { agent, revisions }
    return c.json(body)
  })

  app.get('/fleet/agents', async (c) =>
    c.json(
      await registry.agents(c.get('projectId'), range(parseOr400(RegistryRangeQuerySchema, c.req.query(), 'query'))),
    ),
  )
  app.get('/fleet/tools', async (c) =>
    c.json(
      await registry.tools(c.get('projectId'), range(parseOr400(RegistryRangeQuerySchema, c.req.query(), 'query'))),
    ),
  )
  app.get('/fleet/map', async (c) =>
    c.json(await registry.map(c.get('projectId'), range(parseOr400(RegistryRangeQuerySchema, c.req.query(), 'query')))),
  )

  app.get('/fleet/edges/traces', async (c) => {
    const q = parseOr400(EdgeTracesQuerySchema, c.req.query(), 'query')
    const rows = await registry.edgeTraces(c.get('projectId'), range(q), q.kind, q.source, q.target, q.limit)
    const body: EdgeTracesResponse = {
      traces: rows.map((r) => ({ ...r, outcome: TraceOutcomeSchema.parse(r.outcome) })),
    }
    return c.json(body)
  })

  app.get('/events', async (c) => {
    const q = parseOr400(RegistryEventsQuerySchema, c.req.query(), 'query')
    const r = range(q)
    const body: RegistryEventsResponse = {
      ...r,
      events: await registry.events(c.get('projectId'), { ...r, kind: q.kind, subject: q.subject, limit: q.limit }),
    }
    return c.json(body)
  })

  app.get('/agents', async (c) =>
    c.json(
      await registry.discoveryAgents(
        c.get('projectId'),
        parseOr400(DiscoveryAgentsQuerySchema, c.req.query(), 'query'),
      ),
    ),
  )

  app.get('/tools', async (c) => {
    const q = parseOr400(DiscoveryToolsQuerySchema, c.req.query(), 'query')
    return c.json(await registry.discoveryTools(c.get('projectId'), range({}), q))
  })
  return app
}
