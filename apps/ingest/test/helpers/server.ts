import { createHash } from 'node:crypto'
import fs from 'node:fs'
import net, { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startClickHouseFront, type ClickHouseFront } from '@sightline/testkit/clickhouse-http-front'
import type { DepsOptions } from '../../src/deps.js'
import { sql } from '../../src/db/sql.js'
import { parseEnv } from '../../src/env.js'
import { createLogger } from '../../src/logger.js'
import { startServer, type RunningServer } from '../../src/server.js'

export const TEST_API_KEY = 'sl_test_key_0123456789'

export interface TestServer extends RunningServer {
  dataDir: string
  /** Resolves every trace of the store (for tests that insert span rows without the writer). */
  resolveStored(): Promise<void>
  /** Waits until every acknowledged span is queryable and every trace it touched is resolved. */
  drain(): Promise<void>
  authHeaders: Record<string, string>
}

/**
 * Which store the integration tests run against: `embedded` (chDB in the server's process, the
 * default) or `server` (SIGHTLINE_TEST_STORE=server, the vitest project `int-server`): a ClickHouse
 * HTTP front over chDB in a process of its own, reached through CLICKHOUSE_URL like any server.
 */
export const TEST_STORE: 'embedded' | 'server' = process.env.SIGHTLINE_TEST_STORE === 'server' ? 'server' : 'embedded'

let front: Promise<ClickHouseFront> | undefined

/**
 * The store settings for a server on `dataDir`: none on the embedded store; on the front, one
 * database per data directory, so a restart on the same directory finds its data and a fresh
 * directory starts empty, as with the embedded store. One front per test file (its process).
 */
export async function testStoreEnv(dataDir: string): Promise<Record<string, string>> {
  if (TEST_STORE === 'embedded') return {}
  front ??= startClickHouseFront({ user: 'sightline', password: 'front-password' })
  const { url, user, password } = await front
  const database = `t_${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`
  const res = await fetch(`${url}/`, {
    method: 'POST',
    body: `CREATE DATABASE IF NOT EXISTS ${database}`,
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  })
  if (res.status !== 200) throw new Error(`the ClickHouse front refused CREATE DATABASE: ${await res.text()}`)
  return { CLICKHOUSE_URL: url, CLICKHOUSE_USER: user, CLICKHOUSE_PASSWORD: password, CLICKHOUSE_DATABASE: database }
}

/**
 * A real server on an ephemeral port over a fresh store (see TEST_STORE). chDB allows one data
 * directory per process, and vitest runs each test file in its own process, so one server per file.
 * OTLP/gRPC is off unless a test asks for it (test files run in parallel; 4317 fits one of them).
 */
export async function startTestServer(
  overrides: Record<string, string> = {},
  dataDir?: string,
  options: DepsOptions = {},
): Promise<TestServer> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-test-'))
  const env = parseEnv({
    PORT: '0',
    SIGHTLINE_GRPC_PORT: '0',
    SIGHTLINE_DATA_DIR: dir,
    SIGHTLINE_API_KEY: TEST_API_KEY,
    LOG_LEVEL: 'warn',
    ...(await testStoreEnv(dir)),
    ...overrides,
  })
  const server = await startServer(env, createLogger(env.LOG_LEVEL), options)
  return {
    ...server,
    dataDir: dir,
    resolveStored: async () => {
      const rows = await server.deps.store.query<{ project_id: string; ids: string[] }>(
        sql`SELECT project_id, groupUniqArray(trace_id) AS ids FROM spans GROUP BY project_id`,
      )
      for (const { project_id: projectId, ids } of rows) {
        for (let i = 0; i < ids.length; i += 500)
          await server.deps.resolver.resolveBatch(projectId, ids.slice(i, i + 500))
      }
    },
    drain: async () => {
      await server.deps.writer.drain()
      await server.deps.resolver.drain()
      await server.deps.evaluationEvents.drain()
      await server.deps.scoreTargets.drain()
    },
    authHeaders: { Authorization: `Bearer ${TEST_API_KEY}` },
  }
}

/** GET a JSON API path with the test key. */
export async function getJson<T>(
  server: TestServer,
  pathAndQuery: string,
  headers = server.authHeaders,
): Promise<{ status: number; body: T }> {
  // As a well-behaved client does: a query API busy with this project's other queries answers
  // 429/503 with Retry-After (tests fetch many traces at once); wait and ask again, a few times.
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${server.url}${pathAndQuery}`, { headers })
    const retryAfter = res.headers.get('retry-after')
    if ((res.status === 429 || res.status === 503) && retryAfter !== null && attempt < 8) {
      await res.body?.cancel()
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, Number(retryAfter) * 1000 || 500)))
      continue
    }
    return { status: res.status, body: (await res.json()) as T }
  }
}

/** A port free at this moment, for a listener whose 0 means "off" rather than "any port" (gRPC). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
