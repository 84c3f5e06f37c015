import { Hono } from 'hono'
import {
  GetIncidentResponseSchema,
  IncidentActionRequestSchema,
  IncidentActionResponseSchema,
  IncidentActionSchema,
  ListIncidentsQuerySchema,
  ListIncidentsResponseSchema,
  SnoozeIncidentRequestSchema,
} from '@sightline/schema'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { IncidentActionError } from '../detect/incidents/lifecycle.js'
import { AppError, badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { DEFAULT_RANGE_MS } from './time-range.js'

const IncidentIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'incident ids are 32 hex characters')

/**
 * `/api/v1/incidents` (the feed, one incident with its findings) and the people's actions on an
 * incident (acknowledge, snooze, resolve, reopen), mounted at `/api/v1`. Actions take a JSON body
 * like every state-changing call, and go through the incident manager that owns incident state.
 */
export function incidentRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const auth = requireProject(deps)

  app.get('/incidents', auth, async (c) => {
    const query = parseOr400(ListIncidentsQuerySchema, c.req.query(), 'query')
    const to = query.to ?? new Date().toISOString()
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    if (Date.parse(from) > Date.parse(to)) throw badRequest('Invalid query: `from` is after `to`.')
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
    const incidents = await deps.incidentRepository.list(c.get('projectId'), { ...query, ...range })
    return c.json(ListIncidentsResponseSchema.parse({ incidents, ...range }))
  })

  app.get('/incidents/:id', auth, async (c) => {
    const id = parseOr400(IncidentIdSchema, c.req.param('id'), 'id')
    const projectId = c.get('projectId')
    const stored = await deps.incidentRepository.get(projectId, id)
    if (!stored) throw notFound(`No incident ${id} in this project.`)
    const { projectId: _p, groupKey: _g, alertedSeverity: _a, ...incident } = stored
    const anomalies = await deps.anomalies.listByIncident(projectId, id)
    return c.json(GetIncidentResponseSchema.parse({ incident, anomalies }))
  })

  app.post('/incidents/:id/:action', auth, async (c) => {
    const id = parseOr400(IncidentIdSchema, c.req.param('id'), 'id')
    const action = parseOr400(IncidentActionSchema, c.req.param('action'), 'action')
    const json = await c.req.json().catch(() => {
      throw badRequest('Malformed JSON in request body')
    })
    const minutes =
      action === 'snooze'
        ? parseOr400(SnoozeIncidentRequestSchema, json, 'snooze').minutes
        : (parseOr400(IncidentActionRequestSchema, json, action), undefined)
    try {
      const incident = await deps.incidents.act(c.get('projectId'), id, action, Date.now(), minutes)
      if (!incident) throw notFound(`No incident ${id} in this project.`)
      return c.json(IncidentActionResponseSchema.parse({ incident }))
    } catch (err) {
      if (err instanceof IncidentActionError) throw new AppError(409, 'incident_state', err.message)
      throw err
    }
  })
  return app
}
