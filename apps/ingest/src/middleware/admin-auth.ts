import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../errors.js'

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest()

/**
 * Guards the admin API with SIGHTLINE_ADMIN_KEY. Unset, the admin API does not exist (404 that says
 * how to turn it on). Both sides are hashed first so the comparison is constant-time whatever the
 * lengths. The key is never logged: errors name the header, never its value.
 */
export function requireAdmin(adminKey: string | undefined): MiddlewareHandler {
  const expected = adminKey === undefined ? undefined : sha256(adminKey)
  return async function requireAdmin(c, next) {
    if (!expected)
      throw new AppError(
        404,
        'admin_disabled',
        'The admin API is off: start the server with SIGHTLINE_ADMIN_KEY set to manage projects and keys.',
      )
    const match = /^bearer\s+(\S+)$/i.exec(c.req.header('authorization')?.trim() ?? '')
    if (!match?.[1])
      throw new AppError(401, 'unauthorized', 'Missing admin key: send `Authorization: Bearer <SIGHTLINE_ADMIN_KEY>`.')
    if (!timingSafeEqual(sha256(match[1]), expected)) throw new AppError(403, 'forbidden', 'Wrong admin key.')
    await next()
  }
}
