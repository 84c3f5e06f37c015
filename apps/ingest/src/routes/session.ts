import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { SignInRequestSchema, type SessionResponse } from '@sightline/schema'
import type { Deps } from '../deps.js'
import { badRequest, unauthorized } from '../errors.js'
import { requireProject, SESSION_COOKIE, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'

const THIRTY_DAYS = 30 * 24 * 3600

/** Console sign-in: trades a project key for a session cookie the browser sends back. */
export function sessionRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.post('/', async (c) => {
    const json = await c.req.json().catch(() => {
      throw badRequest('Malformed JSON in request body')
    })
    const { apiKey } = parseOr400(SignInRequestSchema, json, 'sign-in')
    if (!(await deps.projects.findProjectByKey(apiKey))) throw unauthorized('Unknown or revoked API key.')
    setCookie(c, SESSION_COOKIE, apiKey, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: THIRTY_DAYS,
      secure: new URL(c.req.url).protocol === 'https:',
    })
    return c.body(null, 204)
  })
  app.delete('/', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })
  app.get('/', requireProject(deps.projects), (c) => c.json<SessionResponse>({ projectId: c.get('projectId') }))
  return app
}
