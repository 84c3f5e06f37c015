/**
 * The admin API against a real server: projects and keys can be created, listed and revoked with
 * SIGHTLINE_ADMIN_KEY, and a revoked key stops working at the next request (OTLP, API, sessions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CreateApiKeyResponseSchema,
  CreateProjectResponseSchema,
  ListApiKeysResponseSchema,
  ListProjectsResponseSchema,
  RevokeApiKeyResponseSchema,
} from '@sightline/schema'
import { hashKey, keyIdOf } from '../../src/db/repositories/projects.js'
import { sql, str, u64 } from '../../src/db/sql.js'
import { makeTraceRequest } from '@sightline/testkit/otlp-json'
import { startTestServer, TEST_API_KEY, type TestServer } from '../helpers/server.js'
import { getWithCookie, signIn } from '../helpers/session.js'

const ADMIN_KEY = 'test-admin-key-0123456789'
let server: TestServer
const T0 = Date.parse('2026-03-01T10:00:00Z')

const admin = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  fetch(`${server.url}/api/v1/admin${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.key ?? ADMIN_KEY}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
const otlp = (apiKey: string) =>
  fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(makeTraceRequest({ seed: `s-${Math.random()}`, startMs: T0 })),
  })
const api = (apiKey: string) => fetch(`${server.url}/api/v1/traces`, { headers: { 'x-api-key': apiKey } })

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ADMIN_KEY: ADMIN_KEY })
})
afterAll(async () => {
  await server?.stop()
})

describe('admin API access', () => {
  it('needs the admin key: 401 without, 403 with a project key or a wrong one', async () => {
    expect((await fetch(`${server.url}/api/v1/admin/projects`)).status).toBe(401)
    expect((await admin('/projects', { key: TEST_API_KEY })).status).toBe(403)
    expect((await admin('/projects', { key: `${ADMIN_KEY}0` })).status).toBe(403)
    expect((await admin('/projects')).status).toBe(200)
  })

  it('answers bad input with 4xx, never 500', async () => {
    expect((await admin('/projects', { method: 'POST', body: { name: '' } })).status).toBe(400)
    expect((await admin('/projects', { method: 'POST', body: { name: 'x', id: 'has spaces' } })).status).toBe(400)
    expect((await admin('/projects', { method: 'POST', body: { name: 'Default again', id: 'default' } })).status).toBe(
      409,
    )
    expect((await admin('/projects/nope/keys')).status).toBe(404)
    expect((await admin('/keys/k_0000000000000000', { method: 'DELETE' })).status).toBe(404)
    expect((await admin('/keys/not-a-key-id', { method: 'DELETE' })).status).toBe(400)
    const malformed = await fetch(`${server.url}/api/v1/admin/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
      body: '{"name":',
    })
    expect(malformed.status).toBe(400)
  })
})

describe('projects and keys', () => {
  it('creates a project with its first key, shown once, that works at once', async () => {
    const res = await admin('/projects', { method: 'POST', body: { name: 'Checkout team', id: 'checkout' } })
    expect(res.status).toBe(201)
    const created = CreateProjectResponseSchema.parse(await res.json())
    expect(created.project).toMatchObject({ id: 'checkout', name: 'Checkout team', activeKeys: 1 })
    expect(created.apiKey.startsWith(created.key.prefix)).toBe(true)
    expect((await otlp(created.apiKey)).status).toBe(200)
    expect((await api(created.apiKey)).status).toBe(200)

    const list = ListProjectsResponseSchema.parse(await (await admin('/projects')).json())
    expect(list.projects.map((p) => p.id)).toEqual(expect.arrayContaining(['default', 'checkout']))
    const keys = JSON.stringify(await (await admin('/projects/checkout/keys')).json())
    expect(keys).not.toContain(created.apiKey)
    expect(keys).not.toContain(hashKey(created.apiKey))
  })

  it('creates and lists named keys: id, prefix, name, created, revoked', async () => {
    const res = await admin('/projects/checkout/keys', { method: 'POST', body: { name: 'ci' } })
    expect(res.status).toBe(201)
    const { key, apiKey } = CreateApiKeyResponseSchema.parse(await res.json())
    expect(key).toMatchObject({
      projectId: 'checkout',
      name: 'ci',
      revoked: false,
      revokedAt: null,
      prefix: apiKey.slice(0, 6),
    })
    expect(key.id).toMatch(/^k_[0-9a-f]{16}$/)
    const { keys } = ListApiKeysResponseSchema.parse(await (await admin('/projects/checkout/keys')).json())
    expect(keys.map((k) => k.name).sort()).toEqual(['ci', 'default'])
    expect(keys.find((k) => k.id === key.id)).toEqual(key)
    expect(Date.now() - Date.parse(key.createdAt)).toBeLessThan(60_000)
  })

  it('revokes a key by id: 401 at the next OTLP and API call, sessions lose the project, other keys work', async () => {
    const { key, apiKey } = CreateApiKeyResponseSchema.parse(
      await (await admin('/projects/checkout/keys', { method: 'POST', body: { name: 'leaked' } })).json(),
    )
    const spare = CreateApiKeyResponseSchema.parse(
      await (await admin('/projects/checkout/keys', { method: 'POST', body: {} })).json(),
    )
    // Both paths have seen the key, so it sits in the lookup cache when it is revoked.
    expect((await otlp(apiKey)).status).toBe(200)
    expect((await api(apiKey)).status).toBe(200)
    const session = await signIn(server, apiKey)
    expect((await getWithCookie(server, '/api/v1/traces', session.cookie)).status).toBe(200)

    const res = await admin(`/keys/${key.id}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    const revoked = RevokeApiKeyResponseSchema.parse(await res.json()).key
    expect(revoked).toMatchObject({ id: key.id, revoked: true })
    expect(revoked.revokedAt).not.toBeNull()

    expect((await otlp(apiKey)).status).toBe(401)
    expect((await api(apiKey)).status).toBe(401)
    expect((await getWithCookie(server, '/api/v1/traces', session.cookie)).status).toBe(401)
    expect((await otlp(spare.apiKey)).status).toBe(200)
    // Revoking again changes nothing and still answers with the key.
    expect((await admin(`/keys/${key.id}`, { method: 'DELETE' })).status).toBe(200)
    const { keys } = ListApiKeysResponseSchema.parse(await (await admin('/projects/checkout/keys')).json())
    expect(keys.find((k) => k.id === key.id)?.revoked).toBe(true)
    expect(
      ListProjectsResponseSchema.parse(await (await admin('/projects')).json()).projects.find(
        (p) => p.id === 'checkout',
      )?.activeKeys,
    ).toBe(3)
  })

  it('gives a key made before key ids existed an id derived from its hash, and revokes it by that id', async () => {
    const legacyKey = 'sl_legacy_key_made_before_migration_0013'
    // The row as older servers wrote it: no id, no revoked_at.
    await server.deps.store.command(sql`
      INSERT INTO api_keys (key_hash, project_id, key_prefix, name, version)
      VALUES (${str(hashKey(legacyKey))}, 'checkout', 'sl_leg', 'legacy', ${u64(1)})`)
    const { keys } = ListApiKeysResponseSchema.parse(await (await admin('/projects/checkout/keys')).json())
    const legacy = keys.find((k) => k.name === 'legacy')
    expect(legacy).toMatchObject({ id: keyIdOf(hashKey(legacyKey)), revoked: false, revokedAt: null })
    expect((await api(legacyKey)).status).toBe(200)
    expect((await admin(`/keys/${legacy!.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await api(legacyKey)).status).toBe(401)
  })

  it('does not bring back a revoked SIGHTLINE_API_KEY at the next start', async () => {
    const envKey = 'sl_env_key_for_restart_test'
    await server.deps.projects.ensureDefaultProject(envKey)
    const id = (await server.deps.projects.listKeys('default')).find(
      (k) => k.name === 'SIGHTLINE_API_KEY' && envKey.startsWith(k.prefix),
    )!.id
    expect((await admin(`/keys/${id}`, { method: 'DELETE' })).status).toBe(200)
    expect(await server.deps.projects.ensureDefaultProject(envKey)).toEqual({
      generatedKey: undefined,
      isConfiguredKeyRevoked: true,
    })
    expect((await api(envKey)).status).toBe(401)
  })
})
