/**
 * `sightline projects|keys` against a real Sightline server (embedded store) with an admin key:
 * what a person types to create a project, hand out a key, rotate it and revoke the old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CreateApiKeyResponseSchema, CreateProjectResponseSchema, ListApiKeysResponseSchema } from '@sightline/schema'
import { startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import type { Io } from '../src/command.js'
import { main } from '../src/cli.js'

const ADMIN_KEY = 'cli-test-admin-key-0123456789'
let server: TestServer

async function sightline(args: string[], env: Record<string, string | undefined> = {}) {
  const io = {
    out: '',
    err: '',
    env: { SIGHTLINE_URL: server.url, SIGHTLINE_ADMIN_KEY: ADMIN_KEY, ...env },
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  }
  const code = await main(args, io as Io)
  return { code, out: io.out, err: io.err }
}

const traces = (apiKey: string) =>
  fetch(`${server.url}/api/v1/traces`, { headers: { Authorization: `Bearer ${apiKey}` } })

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ADMIN_KEY: ADMIN_KEY })
})
afterAll(async () => {
  await server?.stop()
})

describe('sightline projects and keys', () => {
  it('creates a project and prints its first key once; the key works', async () => {
    const run = await sightline(['projects', 'create', 'Support bots', '--id', 'support'])
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    const key = /\n(sl_[A-Za-z0-9_-]{43})\n$/.exec(run.out)?.[1]
    expect(run.out).toContain('created project support (Support bots)')
    expect(key).toBeDefined()
    expect((await traces(key!)).status).toBe(200)

    const list = await sightline(['projects', 'list'])
    expect(list.code).toBe(0)
    expect(list.out).toMatch(/^ID\s+NAME\s+ACTIVE KEYS\s+CREATED\n/)
    expect(list.out).toMatch(/\nsupport\s+Support bots\s+1\s+20\d\d-/)
    expect(list.out).toMatch(/\ndefault\s+Default project\s+1\s+/)
  })

  it('rotates a key: create the new one, list both, revoke the old one by id (401 at once)', async () => {
    const first = CreateProjectResponseSchema.parse(
      JSON.parse((await sightline(['projects', 'create', 'Rotation', '--json'])).out),
    )
    const created = await sightline(['keys', 'create', '--project', first.project.id, '--name', 'ci-2026', '--json'])
    expect(created.code).toBe(0)
    const second = CreateApiKeyResponseSchema.parse(JSON.parse(created.out))
    expect(second.key.name).toBe('ci-2026')

    const listed = await sightline(['keys', 'list', '--project', first.project.id])
    expect(listed.code).toBe(0)
    expect(listed.out).toContain(first.key.id)
    expect(listed.out).toContain(second.key.id)
    expect(listed.out).not.toContain(second.apiKey)

    expect((await traces(first.apiKey)).status).toBe(200)
    const revoked = await sightline(['keys', 'revoke', first.key.id])
    expect(revoked).toMatchObject({ code: 0, err: '' })
    expect(revoked.out).toBe(`revoked key ${first.key.id} (default) of project ${first.project.id}\n`)
    expect((await traces(first.apiKey)).status).toBe(401)
    expect((await traces(second.apiKey)).status).toBe(200)
    const after = ListApiKeysResponseSchema.parse(
      JSON.parse((await sightline(['keys', 'list', '--project', first.project.id, '--json'])).out),
    )
    expect(after.keys.find((k) => k.id === first.key.id)?.revoked).toBe(true)
  })

  it('fails clearly: exit 1 for usage and a missing admin key, exit 2 for what the server refuses', async () => {
    const noKey = await sightline(['projects', 'list'], { SIGHTLINE_ADMIN_KEY: undefined })
    expect(noKey.code).toBe(1)
    expect(noKey.err).toContain('no admin key: set SIGHTLINE_ADMIN_KEY')

    const wrong = await sightline(['projects', 'list'], { SIGHTLINE_ADMIN_KEY: TEST_API_KEY })
    expect(wrong.code).toBe(2)
    expect(wrong.err).toBe('sightline projects list: Wrong admin key. (HTTP 403)\n')
    expect(wrong.err).not.toContain(TEST_API_KEY)

    expect(await sightline(['keys', 'create'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('give --project <id>'),
    })
    expect(await sightline(['keys', 'list', '--project', 'no-such-project'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('No project no-such-project'),
    })
    expect(await sightline(['keys', 'revoke', 'k_ffffffffffffffff'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('No key k_ffffffffffffffff'),
    })
    expect(await sightline(['projects', 'create'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('give the project name'),
    })
    expect(await sightline(['projects', 'create', 'Dup', '--id', 'default'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('already exists'),
    })
    expect(await sightline(['projects', 'list'], { SIGHTLINE_URL: 'http://127.0.0.1:9' })).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot reach Sightline'),
    })
    expect((await sightline(['keys', 'rotate'])).code).toBe(1)
  })
})
