/**
 * What a signed-in browser must not be made to do, against a real server: cross-site forms and
 * cross-origin requests cannot change anything through the session cookie; every response carries
 * the security headers. Key-header clients (SDKs, CLI) and OTLP are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegressionCaseProposal } from '@sightline/core'
import type { ListRegressionCasesResponse } from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { startTestServer, TEST_API_KEY, type TestServer } from '../helpers/server.js'
import { getWithCookie, sameOrigin, signIn } from '../helpers/session.js'

let server: TestServer
let cookie: string
let caseBody: string
const T0 = Date.parse('2026-03-01T10:00:00Z')

const savedCases = async () =>
  (
    (await (await getWithCookie(server, '/api/v1/regression-cases', cookie)).json()) as ListRegressionCasesResponse
  ).cases.map((c) => c.suite)

const postCase = (headers: Record<string, string>, body = caseBody) =>
  fetch(`${server.url}/api/v1/regression-cases`, { method: 'POST', headers: { Cookie: cookie, ...headers }, body })

beforeAll(async () => {
  server = await startTestServer()
  await sendJson(
    server.url,
    server.authHeaders,
    makeTraceRequest({ seed: 'failed', startMs: T0, tools: [{ name: 'search', error: 'timeout calling search' }] }),
  )
  await server.drain()
  cookie = (await signIn(server, TEST_API_KEY)).cookie
  const proposal = (await (
    await getWithCookie(server, `/api/v1/traces/${traceIdFor('failed')}/regression-case`, cookie)
  ).json()) as RegressionCaseProposal
  caseBody = JSON.stringify({ suite: 'csrf', case: proposal.case })
})
afterAll(async () => {
  await server?.stop()
})

describe('cross-site request forgery', () => {
  // The reproduction: a page on another port of the same host posts a text/plain form (a body
  // that is JSON text, which a form can forge) at the API, and the browser attaches the cookie.
  it('a text/plain form POST from another origin with a valid cookie cannot create a regression case', async () => {
    const attacker = `http://127.0.0.1:${server.port + 1}`
    const res = await postCase({
      'Content-Type': 'text/plain',
      Origin: attacker,
      'Sec-Fetch-Site': 'same-site',
      'Sec-Fetch-Mode': 'navigate',
    })
    expect(res.status).toBe(415)
    expect(await savedCases()).toEqual([])
  })

  it('refuses form encodings and bodies without a type, even from the same origin', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expect((await postCase({ 'Content-Type': type, ...sameOrigin(server) })).status).toBe(415)
    }
    expect((await postCase({ ...sameOrigin(server) }, caseBody)).status).toBe(415)
    expect(await savedCases()).toEqual([])
  })

  it('refuses JSON from another origin: another port, another site, or an opaque origin', async () => {
    const json = { 'Content-Type': 'application/json' }
    const otherPort = `http://127.0.0.1:${server.port + 1}`
    const cases: Array<Record<string, string>> = [
      { Origin: otherPort, 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: otherPort }, // a browser without Sec-Fetch-* headers: Origin decides
      { Origin: 'null' },
    ]
    for (const headers of cases) {
      const res = await postCase({ ...json, ...headers })
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_origin')
    }
    expect(await savedCases()).toEqual([])
  })

  it('refuses a cross-origin sign-out and project switch too', async () => {
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }
    expect(
      (await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: { Cookie: cookie, ...evil } })).status,
    ).toBe(403)
    expect((await getWithCookie(server, '/api/v1/session', cookie)).status).toBe(200)
  })

  it('accepts the console itself: same-origin JSON with the cookie', async () => {
    const res = await postCase({ 'Content-Type': 'application/json', ...sameOrigin(server) })
    expect(res.status).toBe(201)
    expect(await savedCases()).toEqual(['csrf'])
  })

  it('leaves key-header clients and OTLP as they were (no Origin, any content type OTLP accepts)', async () => {
    const viaKey = await fetch(`${server.url}/api/v1/regression-cases`, {
      method: 'POST',
      headers: { ...server.authHeaders, 'Content-Type': 'application/json', Origin: 'https://ci.example' },
      body: caseBody.replace('"csrf"', '"by-key"'),
    })
    expect(viaKey.status).toBe(201)
    const otlp = await fetch(`${server.url}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`pk:${TEST_API_KEY}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(makeTraceRequest({ seed: 'langfuse', startMs: T0 })),
    })
    expect(otlp.status).toBe(200)
  })
})

describe('security headers', () => {
  it('are on API, OTLP and error responses', async () => {
    const responses = [
      await getWithCookie(server, '/api/v1/session', cookie),
      await fetch(`${server.url}/api/v1/traces`),
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      }),
    ]
    for (const res of responses) {
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toContain('unsafe-inline')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('same-origin')
      // Plain http: no HSTS.
      expect(res.headers.get('strict-transport-security')).toBeNull()
    }
  })
})
