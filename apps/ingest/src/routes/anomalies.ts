import { Hono } from 'hono'
import {
  DeleteWebhookQuerySchema,
  GetAnomalyResponseSchema,
  ListAnomaliesQuerySchema,
  ListAnomaliesResponseSchema,
  PutWebhookRequestSchema,
  type ListWebhooksResponse,
  type PutWebhookResponse,
  type RotateWebhookSecretResponse,
} from '@sightline/schema'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { AppError, badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { OutboundTargetError, type OutboundGuard } from '../net/outbound-guard.js'
import { DEFAULT_RANGE_MS } from './time-range.js'

const AnomalyIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'anomaly ids are 32 hex characters')
const WebhookIdSchema = z.uuid('webhook ids are UUIDs')

/**
 * The SSRF check at save time, as the caller's error: a refused or unknown host is their input
 * (400, the message names the reason); a resolver failure is ours to retry (503).
 */
async function checkWebhookTarget(guard: OutboundGuard, url: string): Promise<string> {
  try {
    return (await guard.checkTarget(url)).href
  } catch (err) {
    if (!(err instanceof OutboundTargetError)) throw err
    if (err.kind === 'dns_unavailable')
      throw new AppError(503, 'dns_unavailable', err.message, { retryAfterSeconds: 5 })
    throw new AppError(
      400,
      err.kind === 'refused' ? 'webhook_target_refused' : 'webhook_target_unresolved',
      err.message,
    )
  }
}

/**
 * `/api/v1/anomalies` (feed, detail, chart markers) and `/api/v1/alerts/webhooks`, mounted at
 * `/api/v1`. Auth is attached per route, so nothing else under /api/v1 is affected.
 */
export function anomalyRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const auth = withQuerySlot(requireProject(deps), deps.queryLimiter)

  app.get('/anomalies', auth, async (c) => {
    const query = parseOr400(ListAnomaliesQuerySchema, c.req.query(), 'query')
    const to = query.to ?? new Date().toISOString()
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    if (Date.parse(from) > Date.parse(to)) throw badRequest('Invalid query: `from` is after `to`.')
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
    const anomalies = await deps.anomalies.list(c.get('projectId'), { ...query, ...range })
    return c.json(ListAnomaliesResponseSchema.parse({ anomalies, ...range }))
  })

  app.get('/anomalies/:id', auth, async (c) => {
    const id = parseOr400(AnomalyIdSchema, c.req.param('id'), 'id')
    const anomaly = await deps.anomalies.get(c.get('projectId'), id)
    if (!anomaly) throw notFound(`No anomaly ${id} in this project.`)
    return c.json(GetAnomalyResponseSchema.parse({ anomaly }))
  })

  app.get('/alerts/webhooks', auth, async (c) => {
    const body: ListWebhooksResponse = { webhooks: await deps.webhooks.list(c.get('projectId')) }
    return c.json(body)
  })

  app.put('/alerts/webhooks', auth, async (c) => {
    const json = await c.req.json().catch(() => {
      throw badRequest('Malformed JSON in request body')
    })
    const { url } = parseOr400(PutWebhookRequestSchema, json, 'webhook')
    // What is stored is the URL as parsed and checked, so it is exactly what will be sent to.
    const href = await checkWebhookTarget(deps.outboundGuard, url)
    const { webhook, secret } = await deps.webhooks.put(c.get('projectId'), href)
    const body: PutWebhookResponse = secret === null ? { webhook } : { webhook, secret }
    return c.json(body)
  })

  app.post('/alerts/webhooks/:id/rotate-secret', auth, async (c) => {
    const id = parseOr400(WebhookIdSchema, c.req.param('id'), 'id')
    const rotated = await deps.webhooks.rotateSecret(c.get('projectId'), id)
    if (!rotated) throw notFound(`No webhook ${id} in this project.`)
    const body: RotateWebhookSecretResponse = rotated
    return c.json(body)
  })

  app.delete('/alerts/webhooks', auth, async (c) => {
    const { id } = parseOr400(DeleteWebhookQuerySchema, c.req.query(), 'query')
    if (!(await deps.webhooks.remove(c.get('projectId'), id))) throw notFound(`No webhook ${id} in this project.`)
    return c.body(null, 204)
  })
  return app
}
