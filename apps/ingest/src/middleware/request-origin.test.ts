import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { isHttps, isOwnOrigin, type OriginEnv } from './request-origin.js'

function probe(env: OriginEnv) {
  const app = new Hono()
  app.get('/', (c) => c.json({ https: isHttps(c, env), own: isOwnOrigin(c.req.header('x-test-origin') ?? '', c, env) }))
  return async (headers: Record<string, string>, url = 'http://console.local:4318/') =>
    (await (await app.request(url, { headers })).json()) as { https: boolean; own: boolean }
}

const plain: OriginEnv = { SIGHTLINE_PUBLIC_URL: undefined, SIGHTLINE_TRUST_PROXY: false }

describe('isHttps (the Secure cookie flag and HSTS)', () => {
  it('ignores X-Forwarded-Proto unless the proxy is trusted: anyone can send it', async () => {
    expect((await probe(plain)({ 'x-forwarded-proto': 'https' })).https).toBe(false)
    expect((await probe({ ...plain, SIGHTLINE_TRUST_PROXY: true })({ 'x-forwarded-proto': 'https' })).https).toBe(true)
    expect((await probe({ ...plain, SIGHTLINE_TRUST_PROXY: true })({ 'x-forwarded-proto': 'http' })).https).toBe(false)
  })

  it('follows an https public URL', async () => {
    expect((await probe({ ...plain, SIGHTLINE_PUBLIC_URL: 'https://sightline.example.com' })({})).https).toBe(true)
    expect((await probe({ ...plain, SIGHTLINE_PUBLIC_URL: 'http://sightline.internal' })({})).https).toBe(false)
  })
})

describe('isOwnOrigin (CSRF Origin check)', () => {
  it('accepts the host and port the request was sent to, and the public URL', async () => {
    const check = probe({ ...plain, SIGHTLINE_PUBLIC_URL: 'https://sightline.example.com' })
    const at = (origin: string) => check({ host: 'console.local:4318', 'x-test-origin': origin })
    expect((await at('http://console.local:4318')).own).toBe(true)
    expect((await at('https://sightline.example.com')).own).toBe(true)
  })

  it('refuses another port of the same host, another host, and opaque origins', async () => {
    const at = (origin: string) => probe(plain)({ host: 'console.local:4318', 'x-test-origin': origin })
    expect((await at('http://console.local:5173')).own).toBe(false)
    expect((await at('http://evil.example')).own).toBe(false)
    expect((await at('null')).own).toBe(false)
    expect((await at('')).own).toBe(false)
  })
})
