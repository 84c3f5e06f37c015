import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError, ListWebhooksResponse, PutWebhookResponse, RotateWebhookSecretResponse } from '@sightline/schema'
import { sql, str, u64 } from '../../src/db/sql.js'
import type { HostResolver } from '../../src/net/outbound-guard.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

/**
 * Webhook targets through the API with the default policy (no SIGHTLINE_ALERT_ALLOWED_TARGETS):
 * every forbidden target is refused with a 400 that names the reason and nothing is stored;
 * public targets get a signing secret shown once, sealed at rest, rotatable.
 * DNS is a fixed table so that names resolving to private addresses can be tested offline.
 */
const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'internal.example.com': ['10.0.0.5'],
  'metadata.example.com': ['169.254.169.254'],
  'mixed.example.com': ['93.184.215.14', '127.0.0.1'],
  'v6-loopback.example.com': ['::1'],
}
const resolveHost: HostResolver = async (hostname) => {
  if (hostname === 'flaky-dns.example.com')
    throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' })
  const found = DNS[hostname]
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
}

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' }, undefined, { resolveHost })
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

const put = (url: string, headers = server.authHeaders) =>
  fetch(`${server.url}/api/v1/alerts/webhooks`, {
    method: 'PUT',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url }),
  })
const rotate = (id: string, headers = server.authHeaders) =>
  fetch(`${server.url}/api/v1/alerts/webhooks/${id}/rotate-secret`, { method: 'POST', headers })
const listed = async () => (await getJson<ListWebhooksResponse>(server, '/api/v1/alerts/webhooks')).body.webhooks
const storedRows = () =>
  server.deps.store.query<{ id: string; url: string; secret_sealed: string }>(
    sql`SELECT id, url, secret_sealed FROM alert_webhooks FINAL WHERE NOT is_deleted`,
  )

describe('webhook targets', () => {
  it.each([
    ['http://127.0.0.1:4318/v1/traces', '127.0.0.1 is a loopback address'],
    ['http://[::1]:4318/', '::1 is a loopback address'],
    ['http://localhost:4318/', 'localhost is a localhost name'],
    ['http://0.0.0.0:4318/', '0.0.0.0 is an unspecified'],
    ['http://[::]/', ':: is an unspecified'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://017700000001/', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'maps to 127.0.0.1, a loopback address'],
    ['http://[::ffff:7f00:1]/', 'maps to 127.0.0.1, a loopback address'],
    ['http://10.1.2.3/', 'a private address'],
    ['http://172.16.0.1/', 'a private address'],
    ['http://192.168.0.10/', 'a private address'],
    ['http://[fd00::1]/', 'unique local'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://internal.example.com/hook', 'internal.example.com resolves to 10.0.0.5, a private address'],
    ['http://metadata.example.com/', 'resolves to 169.254.169.254, a link-local address'],
    ['http://mixed.example.com/', 'resolves to 127.0.0.1, a loopback address'],
    ['http://v6-loopback.example.com/', 'resolves to ::1, a loopback address'],
    ['http://nowhere.example.com/', 'nowhere.example.com does not resolve'],
  ])('refuses %s with 400 naming the reason, and stores nothing', async (url, words) => {
    const res = await put(url)
    const body = (await res.json()) as ApiError
    expect(res.status).toBe(400)
    expect(body.error.code).toMatch(/^webhook_target_(refused|unresolved)$/)
    expect(body.error.message).toContain(words)
    expect(await listed()).toEqual([])
    expect(await storedRows()).toEqual([])
  })

  it('refuses credentials and other schemes through the contract, and says why', async () => {
    for (const [url, words] of [
      ['http://user:pw@hooks.example.com/', 'must not embed credentials'],
      ['ftp://hooks.example.com/x', 'must be an http(s) URL'],
      ['not a url', 'must be an http(s) URL'],
    ]) {
      const res = await put(url!)
      expect(res.status).toBe(400)
      expect(((await res.json()) as ApiError).error.message).toContain(words)
    }
    expect(await storedRows()).toEqual([])
  })

  it('answers 503 with Retry-After when DNS itself fails', async () => {
    const res = await put('https://flaky-dns.example.com/hook')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(((await res.json()) as ApiError).error.message).toContain('try again later')
    expect(await storedRows()).toEqual([])
  })

  it('creates a public target with a secret shown once, sealed at rest, never listed', async () => {
    const res = await put('HTTPS://Hooks.Example.com/services/T0/B0/X')
    expect(res.status).toBe(200)
    const created = (await res.json()) as PutWebhookResponse
    expect(created.webhook).toMatchObject({ url: 'https://hooks.example.com/services/T0/B0/X', signed: true })
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/)

    const listText = await (await fetch(`${server.url}/api/v1/alerts/webhooks`, { headers: server.authHeaders })).text()
    expect(listText).not.toContain(created.secret)
    expect(JSON.parse(listText)).toEqual({ webhooks: [created.webhook] })

    const again = (await (await put('https://hooks.example.com/services/T0/B0/X')).json()) as PutWebhookResponse
    expect(again).toEqual({ webhook: created.webhook })

    const [row] = await storedRows()
    expect(row!.secret_sealed).toMatch(/^v1\./)
    expect(row!.secret_sealed).not.toContain(created.secret!.slice(6))
    expect(await server.deps.webhooks.targets('default')).toEqual([
      { id: created.webhook.id, url: created.webhook.url, secret: created.secret },
    ])
    expect(fs.statSync(path.join(server.dataDir, 'secret.key')).mode & 0o777).toBe(0o600)
  })

  it('rotates a secret: the new one is returned once and replaces the old one', async () => {
    const [webhook] = await listed()
    const before = (await server.deps.webhooks.targets('default'))[0]!.secret
    const res = await rotate(webhook!.id)
    expect(res.status).toBe(200)
    const rotated = (await res.json()) as RotateWebhookSecretResponse
    expect(rotated.webhook).toEqual(webhook)
    expect(rotated.secret).toMatch(/^whsec_/)
    expect(rotated.secret).not.toBe(before)
    expect((await server.deps.webhooks.targets('default'))[0]!.secret).toBe(rotated.secret)
    expect(await listed()).toEqual([webhook])

    expect((await rotate('6f1d1b0e-3a7c-4c8e-9d4f-2a1b3c4d5e6f')).status).toBe(404)
    expect((await rotate('not-a-uuid')).status).toBe(400)
    const other = await server.deps.projects.createProject('other team')
    expect((await rotate(webhook!.id, { Authorization: `Bearer ${other.apiKey}` })).status).toBe(404)
    expect((await server.deps.webhooks.targets('default'))[0]!.secret).toBe(rotated.secret)
  })

  it('lists a webhook from before signing as unsigned until its secret is rotated', async () => {
    const id = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a'
    await server.deps.store.command(sql`
      INSERT INTO alert_webhooks (project_id, id, url, created_at, is_deleted, version)
      VALUES ('default', ${str(id)}, 'https://hooks.example.com/legacy', now64(3), false, ${u64(1)})`)
    expect((await listed()).find((w) => w.id === id)).toMatchObject({ signed: false })
    expect((await server.deps.webhooks.targets('default')).find((t) => t.id === id)).toEqual({
      id,
      url: 'https://hooks.example.com/legacy',
      secret: null,
    })
    const rotated = (await (await rotate(id)).json()) as RotateWebhookSecretResponse
    expect(rotated.webhook).toMatchObject({ id, signed: true })
    expect((await listed()).find((w) => w.id === id)).toMatchObject({ signed: true })
  })
})
