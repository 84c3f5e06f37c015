/**
 * Console sign-in. `POST` trades a project key for a session cookie (a random id, never the key);
 * signing in again while signed in adds that key's project to the session. `PUT` switches the
 * current project, `DELETE` signs out (the old cookie is useless afterwards).
 *
 * The current project lives in the session, not in a per-request header: plain same-origin links
 * (the Vitest file download, a trace opened in a new tab) carry only the cookie, and every request
 * the console makes is scoped without the client keeping state. The price is one current project
 * per browser, not per tab.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { SignInRequestSchema, SwitchProjectRequestSchema, type SessionResponse } from '@sightline/schema'
import type { ActiveSession } from '../db/repositories/sessions.js'
import { hashKey } from '../db/repositories/projects.js'
import type { Deps } from '../deps.js'
import { AppError, badRequest, unauthorized } from '../errors.js'
import { findSession, LEGACY_KEY_COOKIE, requireProject, SESSION_COOKIE, type AuthEnv } from '../middleware/auth.js'
import { isHttps } from '../middleware/request-origin.js'
import { parseOr400 } from '../middleware/validate.js'

const sessionBody = (s: ActiveSession): SessionResponse => ({
  kind: 'session',
  projectId: s.projectId,
  projects: s.projects,
  expiresAt: s.expiresAt.toISOString(),
})

async function jsonBody(c: Context): Promise<unknown> {
  return c.req.json().catch(() => {
    throw badRequest('Malformed JSON in request body')
  })
}

export function sessionRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const cookieBase = (c: Context) => ({
    httpOnly: true,
    sameSite: 'Strict' as const,
    path: '/',
    secure: isHttps(c, deps.env),
  })

  app.post('/', async (c) => {
    const { apiKey } = parseOr400(SignInRequestSchema, await jsonBody(c), 'sign-in')
    const projectId = await deps.projects.findProjectByKey(apiKey)
    if (!projectId) throw unauthorized('Unknown or revoked API key.')
    const previous = await findSession(deps.sessions, c)
    // A new id at every sign-in, even when adding a project: a cookie planted before sign-in
    // (session fixation) never gains the key's project.
    const { id, expiresAt } = await deps.sessions.create([...(previous?.keyHashes ?? []), hashKey(apiKey)], projectId)
    if (previous) await deps.sessions.revoke(previous.idHash)
    setCookie(c, SESSION_COOKIE, id, { ...cookieBase(c), expires: expiresAt })
    deleteCookie(c, LEGACY_KEY_COOKIE, { path: '/' })
    const session = await deps.sessions.find(id)
    if (!session) throw unauthorized('Unknown or revoked API key.')
    return c.json(sessionBody(session))
  })

  app.delete('/', async (c) => {
    const session = await findSession(deps.sessions, c)
    if (session) await deps.sessions.revoke(session.idHash)
    deleteCookie(c, SESSION_COOKIE, cookieBase(c))
    deleteCookie(c, LEGACY_KEY_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  const auth = requireProject(deps)

  app.get('/', auth, async (c) => {
    const session = c.get('session')
    if (session) return c.json(sessionBody(session))
    const projectId = c.get('projectId')
    const names = await deps.projects.projectNames([projectId])
    return c.json<SessionResponse>({
      kind: 'key',
      projectId,
      projects: [{ id: projectId, name: names.get(projectId) ?? projectId }],
      expiresAt: null,
    })
  })

  app.put('/', auth, async (c) => {
    const session = c.get('session')
    if (!session) throw badRequest('Switching projects is for console sessions; a key always opens its own project.')
    const { projectId } = parseOr400(SwitchProjectRequestSchema, await jsonBody(c), 'project switch')
    if (!session.projects.some((p) => p.id === projectId)) {
      throw new AppError(
        403,
        'forbidden',
        `This session holds no key for project ${projectId}: sign in with one of its keys to add it.`,
      )
    }
    await deps.sessions.switchProject(session, projectId)
    return c.json(sessionBody({ ...session, projectId }))
  })
  return app
}
