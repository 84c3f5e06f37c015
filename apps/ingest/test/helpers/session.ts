import { expect } from 'vitest'
import type { SessionResponse } from '@sightline/schema'
import type { TestServer } from './server.js'

/** Headers a same-origin console request carries (what Chromium sends from the console's own page). */
export const sameOrigin = (server: TestServer) => ({ Origin: server.url, 'Sec-Fetch-Site': 'same-origin' })

/** Signs in as the console does; returns the `Cookie` header value and the raw `Set-Cookie`. */
export async function signIn(
  server: TestServer,
  apiKey: string,
  cookie?: string,
): Promise<{ cookie: string; setCookie: string; body: SessionResponse }> {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...sameOrigin(server), ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ apiKey }),
  })
  expect(res.status).toBe(200)
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sightline_session=')) ?? ''
  return { cookie: setCookie.split(';')[0]!, setCookie, body: (await res.json()) as SessionResponse }
}

/** A GET with only a cookie, as a browser page would send. */
export const getWithCookie = (server: TestServer, path: string, cookie: string) =>
  fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })
