import { Hono } from 'hono'
import type { Deps } from '../deps.js'
import { sql } from '../db/sql.js'

/** Liveness, readiness (the store answers and the spool drains) and Prometheus metrics. */
export function healthRoutes(deps: Deps): Hono {
  const app = new Hono()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    try {
      await deps.store.query(sql`SELECT 1`)
    } catch {
      return c.json({ status: 'unavailable', reason: 'the store does not answer' }, 503)
    }
    if (!deps.writer.isHealthy) return c.json({ status: 'degraded', reason: 'store inserts are failing; spans wait in the spool' }, 503)
    return c.json({ status: 'ready', spoolDepthBytes: deps.writer.depthBytes })
  })
  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType)
    return c.body(await deps.metrics.registry.metrics())
  })
  return app
}
