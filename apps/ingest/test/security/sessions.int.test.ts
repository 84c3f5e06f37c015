/**
 * Console sessions against a real server: the cookie is a random id (never the key), sign-out and
 * key revocation end access at once, a session holds several projects and switches between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListTracesResponse, SessionResponse } from '@sightline/schema'
import { hashKey } from '../../src/db/repositories/projects.js'
import { SessionRepository } from '../../src/db/repositories/sessions.js'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { startTestServer, TEST_API_KEY, type TestServer } from '../helpers/server.js'
import { getWithCookie, sameOrigin, signIn } from '../helpers/session.js'

let server: TestServer
const T0 = Date.parse('2026-03-01T10:00:00Z')
const TRACES = '/api/v1/traces?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z'

const traceIds = async (cookie: string) =>
  ((await (await getWithCookie(server, TRACES, cookie)).json()) as ListTracesResponse).traces.map((t) => t.traceId)
const sessionOf = async (cookie: string) =>
  (await (await getWithCookie(server, '/api/v1/session', cookie)).json()) as SessionResponse
const signOut = (cookie: string) =>
  fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: { Cookie: cookie, ...sameOrigin(server) } })

beforeAll(async () => {
  server = await startTestServer()
  await sendJson(server.url, server.authHeaders, makeTraceRequest({ seed: 'default-trace', startMs: T0 }))
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('the session cookie', () => {
  it('holds a random 32-byte id, never the key, HttpOnly, SameSite, Path=/, expiring with the TTL', async () => {
    const { cookie, setCookie } = await signIn(server, TEST_API_KEY)
    const id = cookie.slice('sightline_session='.length)
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(setCookie).not.toContain(TEST_API_KEY)
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=(Lax|Strict)/)
    expect(setCookie).toMatch(/Path=\//)
    // Plain http, no proxy trusted: Secure would make the browser drop the cookie.
    expect(setCookie).not.toMatch(/Secure/)
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!)
    expect(Math.abs(expires - (Date.now() + 168 * 3600_000))).toBeLessThan(60_000)
    expect((await signIn(server, TEST_API_KEY)).cookie).not.toBe(cookie)
  })

  it('opens the API and says which project it is in', async () => {
    const { cookie } = await signIn(server, TEST_API_KEY)
    expect(await traceIds(cookie)).toEqual([traceIdFor('default-trace')])
    expect(await sessionOf(cookie)).toMatchObject({
      kind: 'session',
      projectId: 'default',
      projects: [{ id: 'default', name: 'Default project' }],
    })
  })

  it('is useless once signed out: replaying the old cookie gets 401', async () => {
    const { cookie } = await signIn(server, TEST_API_KEY)
    expect((await getWithCookie(server, TRACES, cookie)).status).toBe(200)
    const out = await signOut(cookie)
    expect(out.status).toBe(204)
    expect(out.headers.getSetCookie().join('\n')).toMatch(/sightline_session=;.*Max-Age=0/)
    expect((await getWithCookie(server, TRACES, cookie)).status).toBe(401)
    expect((await getWithCookie(server, '/api/v1/session', cookie)).status).toBe(401)
  })

  it('refuses the old cookie that held the key, and a key put where the id goes', async () => {
    expect((await getWithCookie(server, TRACES, `sightline_key=${TEST_API_KEY}`)).status).toBe(401)
    expect((await getWithCookie(server, TRACES, `sightline_session=${TEST_API_KEY}`)).status).toBe(401)
    expect((await getWithCookie(server, TRACES, `sightline_session=${'A'.repeat(43)}`)).status).toBe(401)
  })

  it('expires after its TTL', async () => {
    const sessions = new SessionRepository(server.deps.store, server.deps.projects, 800)
    const { id } = await sessions.create([hashKey(TEST_API_KEY)], 'default')
    expect((await sessions.find(id))?.projectId).toBe('default')
    await new Promise((r) => setTimeout(r, 1_000))
    expect(await sessions.find(id)).toBeUndefined()
  })
})

describe('several projects in one session', () => {
  it('adds a project when signing in with its key, switches, and refuses projects it holds no key for', async () => {
    const other = await server.deps.projects.createProject('Other project')
    await sendJson(server.url, { 'x-api-key': other.apiKey }, makeTraceRequest({ seed: 'other-trace', startMs: T0 }))
    await server.drain()
    const first = await signIn(server, TEST_API_KEY)
    const both = await signIn(server, other.apiKey, first.cookie)
    // A new id at every sign-in; the one it replaces stops working.
    expect(both.cookie).not.toBe(first.cookie)
    expect((await getWithCookie(server, TRACES, first.cookie)).status).toBe(401)
    expect(both.body.projectId).toBe(other.projectId)
    expect(both.body.projects.map((p) => p.name).sort()).toEqual(['Default project', 'Other project'])
    expect(await traceIds(both.cookie)).toEqual([traceIdFor('other-trace')])

    const put = (projectId: string) =>
      fetch(`${server.url}/api/v1/session`, {
        method: 'PUT',
        headers: { Cookie: both.cookie, 'Content-Type': 'application/json', ...sameOrigin(server) },
        body: JSON.stringify({ projectId }),
      })
    expect((await put('default')).status).toBe(200)
    expect((await sessionOf(both.cookie)).projectId).toBe('default')
    expect(await traceIds(both.cookie)).toEqual([traceIdFor('default-trace')])
    const stranger = await server.deps.projects.createProject('Stranger')
    expect((await put(stranger.projectId)).status).toBe(403)
    expect(await traceIds(both.cookie)).toEqual([traceIdFor('default-trace')])
  })

  it('loses a project the moment its key is revoked, and ends when no key is left', async () => {
    const a = await server.deps.projects.createProject('A')
    const b = await server.deps.projects.createProject('B')
    const session = await signIn(server, b.apiKey, (await signIn(server, a.apiKey)).cookie)
    expect((await sessionOf(session.cookie)).projects.map((p) => p.id).sort()).toEqual(
      [a.projectId, b.projectId].sort(),
    )
    // Read once so the lookup is cached: revocation must clear it, not wait for it to expire.
    expect((await sessionOf(session.cookie)).projectId).toBe(b.projectId)
    await server.deps.projects.revokeKey(b.key.id)
    expect(await sessionOf(session.cookie)).toMatchObject({ projectId: a.projectId, projects: [{ id: a.projectId }] })
    await server.deps.projects.revokeKey(a.key.id)
    expect((await getWithCookie(server, '/api/v1/session', session.cookie)).status).toBe(401)
  })

  it('keeps API key requests exactly as they were: the key opens its own project', async () => {
    const res = await fetch(`${server.url}/api/v1/session`, { headers: server.authHeaders })
    expect(await res.json()).toEqual({
      kind: 'key',
      projectId: 'default',
      projects: [{ id: 'default', name: 'Default project' }],
      expiresAt: null,
    })
    expect((await fetch(`${server.url}${TRACES}`, { headers: server.authHeaders })).status).toBe(200)
  })
})
