import type { Context, MiddlewareHandler } from 'hono'
import type { QueryLimiter } from '../query-limiter.js'
import type { AuthEnv } from './auth.js'

/**
 * `auth`, then a query slot for the project it found, held until the response is built, or, for a
 * response that is still being written when the handler returns (a streamed skeleton), until what the
 * handler passed to `holdSlotUntil` settles. For the query API only: OTLP ingest never waits for a
 * query slot.
 */
export function withQuerySlot(auth: MiddlewareHandler<AuthEnv>, limiter: QueryLimiter): MiddlewareHandler<AuthEnv> {
  return async function withQuerySlot(c, next) {
    return auth(c, async () => {
      const release = await limiter.acquire(c.get('projectId'))
      let held: Promise<unknown> | undefined
      try {
        await next()
        held = c.get('slotHeldUntil')
      } finally {
        if (held) void held.then(release, release)
        else release()
      }
    })
  }
}

/** Keeps the request's query slot until `work` settles (work the response still does after the handler returns). */
export function holdSlotUntil(c: Context<AuthEnv>, work: Promise<unknown>): void {
  c.set('slotHeldUntil', work)
}
