import type { MiddlewareHandler } from 'hono'
import { AppError } from '../errors.js'
import { hasScriptSetKeyHeader } from './auth.js'
import { isOwnOrigin, type OriginEnv } from './request-origin.js'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const JSON_TYPE = /^application\/json\s*(;|$)/i

/**
 * Cross-site request forgery guard for the API's state-changing requests that the browser drives
 * with the session cookie: every one without a key header that only a script can set.
 *
 * Two independent checks, each enough against a form posted from another site:
 * - Bodies must be `application/json` (415 otherwise): an HTML form can only send form encodings
 *   and text/plain, and a cross-origin fetch with JSON needs a CORS preflight this server never grants.
 * - The request must come from this origin (403 otherwise): `Sec-Fetch-Site` when the browser sends
 *   it (every current one does; another port of the same host is `same-site`, refused), else
 *   `Origin` when present (this host and port, or SIGHTLINE_PUBLIC_URL). A request with neither is
 *   not from a browser (curl, scripts), so no one else's cookie can be riding on it. These are the
 *   rules of Go 1.25's `http.CrossOriginProtection`.
 */
export function csrfGuard(env: OriginEnv): MiddlewareHandler {
  return async function csrfGuard(c, next) {
    if (!STATE_CHANGING.has(c.req.method) || hasScriptSetKeyHeader(c.req.raw.headers)) return next()
    const contentType = c.req.header('content-type')
    const hasBody =
      contentType !== undefined ||
      Number(c.req.header('content-length') ?? 0) > 0 ||
      c.req.header('transfer-encoding') !== undefined
    if (hasBody && !JSON_TYPE.test(contentType ?? '')) {
      throw new AppError(
        415,
        'unsupported_media_type',
        `Request bodies must be application/json (got ${contentType ?? 'none'}).`,
      )
    }
    const site = c.req.header('sec-fetch-site')
    const origin = c.req.header('origin')
    const isSameOrigin =
      site !== undefined
        ? site === 'same-origin' || site === 'none'
        : origin === undefined || isOwnOrigin(origin, c, env)
    if (!isSameOrigin) {
      throw new AppError(
        403,
        'cross_origin',
        'Cross-origin request refused: state-changing requests signed in by the console session must come from the ' +
          'console itself.',
      )
    }
    return next()
  }
}
