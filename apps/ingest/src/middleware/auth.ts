import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { ProjectRepository } from '../db/repositories/projects.js'
import { unauthorized } from '../errors.js'

export type AuthEnv = { Variables: { projectId: string } }

/** Request headers or gRPC metadata, read by lower-case name (`Headers` fits as is). */
export interface HeaderReader {
  get(name: string): string | null | undefined
}

/**
 * Finds the API key in any header a real client sends: `Authorization: Bearer` (OTel exporters,
 * Traceloop), `x-api-key`, and Basic (Langfuse SDK: public key as user, secret key as password;
 * we take the password, or the user when the password is empty).
 */
export function extractApiKey(headers: HeaderReader): string | undefined {
  const direct = headers.get('x-api-key')?.trim()
  if (direct) return direct
  const authorization = headers.get('authorization')?.trim()
  if (!authorization) return undefined
  const [scheme, ...rest] = authorization.split(' ')
  const value = rest.join(' ').trim()
  if (/^bearer$/i.test(scheme ?? '')) return value || undefined
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    const user = colon < 0 ? decoded : decoded.slice(0, colon)
    const password = colon < 0 ? '' : decoded.slice(colon + 1)
    return password || user || undefined
  }
  return undefined
}

/** The console's session: the project key in an HttpOnly, SameSite=Strict cookie, never in URLs or JS. */
export const SESSION_COOKIE = 'sightline_key'

/** The project a key opens, or a 401 saying what is wrong (503 while the store cannot tell). */
export async function resolveProject(projects: ProjectRepository, key: string | undefined): Promise<string> {
  if (!key) throw unauthorized('Missing API key: send `Authorization: Bearer <key>`, `x-api-key: <key>` or Basic auth.')
  const projectId = await projects.findProjectByKey(key)
  if (!projectId) throw unauthorized('Unknown or revoked API key.')
  return projectId
}

export function requireProject(projects: ProjectRepository): MiddlewareHandler<AuthEnv> {
  return async function requireProject(c, next) {
    c.set('projectId', await resolveProject(projects, extractApiKey(c.req.raw.headers) ?? getCookie(c, SESSION_COOKIE)))
    await next()
  }
}
