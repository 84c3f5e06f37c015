import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono } from 'hono'
import type { ApiError } from '@sightline/schema'
import type { Deps } from '../deps.js'
import { pingStore } from '../db/ping.js'

/** Compares digests, so the time taken says nothing about the token, not even its length. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1] ?? ''
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(presented), digest(token))
}

/** Liveness, readiness (the store answers and the spool drains) and Prometheus metrics. */
export function healthRoutes(deps: Deps): Hono {
  const app = new Hono()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    try {
      await pingStore(deps.store)
    } catch {
      return c.json({ status: 'unavailable', reason: 'the store does not answer' }, 503)
    }
    if (!deps.writer.isHealthy)
      return c.json({ status: 'degraded', reason: 'store inserts are failing; spans wait in the spool' }, 503)
    return c.json({ status: 'ready', spoolDepthBytes: deps.writer.depthBytes })
  })
  app.get('/metrics', async (c) => {
    const token = deps.env.SIGHTLINE_METRICS_TOKEN
    if (token !== undefined && !bearerMatches(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"')
      return c.json<ApiError>(
        {
          error: {
            code: 'unauthorized',
            message: 'Send `Authorization: Bearer <SIGHTLINE_METRICS_TOKEN>` to read /metrics.',
          },
        },
        401,
      )
    }
    c.header('Content-Type', deps.metrics.registry.contentType)
    return c.body(await deps.metrics.registry.metrics())
  })
  return app
}
