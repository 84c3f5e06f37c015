import type { MiddlewareHandler } from 'hono'
import type { QueryLimiter } from '../query-limiter.js'
import type { AuthEnv } from './auth.js'

/**
 * `auth`, then a query slot for the project it found, held until the response is built. For the
 * query API only: OTLP ingest never waits for a query slot.
 */
export function withQuerySlot(auth: MiddlewareHandler<AuthEnv>, limiter: QueryLimiter): MiddlewareHandler<AuthEnv> {
  return async function withQuerySlot(c, next) {
    return auth(c, async () => {
      const release = await limiter.acquire(c.get('projectId'))
      try {
        await next()
      } finally {
        release()
      }
    })
  }
}
