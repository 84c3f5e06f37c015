import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { ProjectRepository } from '../db/repositories/projects.js'
import type { ActiveSession, SessionRepository } from '../db/repositories/sessions.js'
import { unauthorized } from '../errors.js'

export type AuthEnv = {
  Variables: {
    projectId: string
    session: ActiveSession | undefined
    /** Set through query-slot.ts's `holdSlotUntil` only. */
    slotHeldUntil?: Promise<unknown>
  }
}

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

/**
 * Whether the request carries a key in a header only a script can set (`x-api-key`, Bearer). A
 * browser never adds those on its own, so such a request is not driven by cookies (no CSRF). Basic
 * is left out on purpose: browsers replay cached Basic credentials on cross-site requests.
 */
export function hasScriptSetKeyHeader(headers: Headers): boolean {
  return Boolean(headers.get('x-api-key')?.trim()) || /^bearer\s+\S/i.test(headers.get('authorization')?.trim() ?? '')
}

/**
 * The console's session cookie: a random id (32 bytes, base64url) whose SHA-256 is in
 * `console_sessions`. It never holds a key.
 */
export const SESSION_COOKIE = 'sightline_session'
/** Before sessions, this cookie held the raw key. It is never read; sign-in and sign-out clear it. */
export const LEGACY_KEY_COOKIE = 'sightline_key'

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/
const MISSING_KEY = 'Missing API key: send `Authorization: Bearer <key>`, `x-api-key: <key>` or Basic auth.'

/** The project a key opens, or a 401 saying what is wrong (503 while the store cannot tell). */
export async function resolveProject(projects: ProjectRepository, key: string | undefined): Promise<string> {
  if (!key) throw unauthorized(MISSING_KEY)
  const projectId = await projects.findProjectByKey(key)
  if (!projectId) throw unauthorized('Unknown or revoked API key.')
  return projectId
}

/** The live session behind the request's cookie, if any. */
export async function findSession(sessions: SessionRepository, c: Context): Promise<ActiveSession | undefined> {
  const id = getCookie(c, SESSION_COOKIE)
  // Anything but a 43-character id was never issued: not worth a lookup.
  return id && SESSION_ID.test(id) ? sessions.find(id) : undefined
}

export interface Authenticators {
  projects: ProjectRepository
  sessions: SessionRepository
}

/**
 * Scopes the request to a project: a key header opens its project (as always), otherwise the
 * console session's current project.
 */
export function requireProject(auth: Authenticators): MiddlewareHandler<AuthEnv> {
  return async function requireProject(c, next) {
    const key = extractApiKey(c.req.raw.headers)
    if (key !== undefined) {
      c.set('projectId', await resolveProject(auth.projects, key))
      c.set('session', undefined)
      return next()
    }
    const session = await findSession(auth.sessions, c)
    if (!session) {
      if (getCookie(c, SESSION_COOKIE) ?? getCookie(c, LEGACY_KEY_COOKIE))
        throw unauthorized('The console session has ended (signed out, expired or its key revoked): sign in again.')
      throw unauthorized(`${MISSING_KEY} The console signs in at /signin.`)
    }
    c.set('session', session)
    c.set('projectId', session.projectId)
    await next()
  }
}
