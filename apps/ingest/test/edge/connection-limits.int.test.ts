/**
 * Unauthenticated clients cannot starve ingest: sockets that never send a request, slowloris-style
 * partial headers, and floods of guessed API keys. Throughout, `/healthz` and OTLP ingest keep
 * working. The limits are set low here (64 connections, 1.5 s to send a request's headers, 20 key
 * lookups a second) so that each is reached within a test.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SqlFragment } from '../../src/db/sql.js'
import { TEST_API_KEY, startTestServer, type TestServer } from '../helpers/server.js'
import { authFor, postOtlp, waitFor } from './helpers.js'

const MAX_CONNECTIONS = 64
const HEADERS_TIMEOUT_MS = 1_500
const KEY_LOOKUPS_PER_SECOND = 20
let server: TestServer
let keyQueries = 0

beforeAll(async () => {
  server = await startTestServer({
    HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    SIGHTLINE_KEY_LOOKUPS_PER_SECOND: String(KEY_LOOKUPS_PER_SECOND),
  })
  // Counts the API-key lookups that reach the store (the repository holds this same object).
  const store = server.deps.store
  const query = store.query.bind(store)
  store.query = <T>(fragment: SqlFragment) => {
    if (fragment.strings.join('').includes('FROM api_keys')) keyQueries += 1
    return query<T>(fragment)
  }
})
afterAll(async () => {
  await server?.stop()
})

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

function oneSpan(): string {
  const start = BigInt(Date.now()) * 1_000_000n
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: hex(16),
                spanId: hex(8),
                name: 's',
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 1000n),
              },
            ],
          },
        ],
      },
    ],
  })
}

/** Health and ingest answer, each within a second, on fresh connections. */
async function expectServing(): Promise<void> {
  const started = performance.now()
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  expect(
    (await postOtlp(server.url, oneSpan(), { 'Content-Type': 'application/json', ...server.authHeaders })).status,
  ).toBe(200)
  expect(performance.now() - started).toBeLessThan(2_000)
}

interface Opened {
  sockets: net.Socket[]
  closed(): number
}

/** `count` raw connections; `onConnect` decides what each sends. */
async function openSockets(count: number, onConnect: (socket: net.Socket) => void = () => undefined): Promise<Opened> {
  const { port } = new URL(server.url)
  let closed = 0
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => {
            onConnect(socket)
            resolve(socket)
          })
          socket.on('error', () => undefined)
          socket.on('close', () => (closed += 1))
        }),
    ),
  )
  return { sockets, closed: () => closed }
}

describe('connections that never send a request', () => {
  it('200 idle sockets: ingest and /healthz keep working, and the server closes them all', async () => {
    const idle = await openSockets(200)
    await expectServing()
    // Past the cap, each new connection evicted the oldest idle one; the rest go at the deadline.
    await waitFor('every idle socket to be closed', async () => (idle.closed() === 200 ? true : undefined), 10_000)
  })

  it('slowloris: 100 sockets trickling header lines are closed at the headers deadline', async () => {
    const timers: NodeJS.Timeout[] = []
    const started = performance.now()
    const slow = await openSockets(100, (socket) => {
      socket.write('POST /v1/traces HTTP/1.1\r\nHost: sightline\r\n')
      timers.push(setInterval(() => socket.writable && socket.write(`X-Slow-${hex(2)}: 1\r\n`), 200))
    })
    try {
      await expectServing()
      await waitFor('every slow socket to be closed', async () => (slow.closed() === 100 ? true : undefined), 10_000)
      expect(performance.now() - started).toBeLessThan(HEADERS_TIMEOUT_MS + 5_000)
    } finally {
      timers.forEach(clearInterval)
    }
  })

  it('a request in progress is not evicted by a flood of new connections', async () => {
    const body = Buffer.from(oneSpan())
    const half = body.length >> 1
    const answer = new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${server.url}/v1/traces`,
        {
          method: 'POST',
          agent: false,
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...server.authHeaders },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.flushHeaders()
      req.write(body.subarray(0, half))
      setTimeout(() => req.end(body.subarray(half)), 1_000)
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const flood = await openSockets(MAX_CONNECTIONS * 2)
    expect(await answer).toBe(200)
    flood.sockets.forEach((socket) => socket.destroy())
  })
})

describe('guessed API keys cost a bounded number of store queries', () => {
  it('500 guesses of one key: one query per 5 s of negative caching, every answer 401', async () => {
    const before = keyQueries
    const started = performance.now()
    const guess = authFor(`sl_guess_${hex(16)}`)
    // 40 in flight at a time: more sockets than the server's 64 would be refused (that limit is
    // tested above), and a loaded machine leaves the previous test's sockets closing for a while.
    const statuses: number[] = []
    let sent = 0
    const sender = async () => {
      while (sent < 500) {
        sent += 1
        statuses.push((await postOtlp(server.url, oneSpan(), { 'Content-Type': 'application/json', ...guess })).status)
      }
    }
    await Promise.all(Array.from({ length: 40 }, sender))
    expect(new Set(statuses)).toEqual(new Set([401]))
    // Concurrent guesses share one lookup; later ones are answered from the negative cache.
    expect(keyQueries - before).toBe(1 + Math.floor((performance.now() - started) / 5_000))
  })

  it('1,000 random keys: at most the lookup budget in queries, 401 or 503 (never 500), real key works', async () => {
    const before = keyQueries
    const started = performance.now()
    const statuses: number[] = []
    let next = 0
    const sender = async () => {
      while (next < 1_000) {
        next += 1
        const res = await postOtlp(server.url, oneSpan(), {
          'Content-Type': 'application/json',
          ...authFor(`sl_guess_${hex(16)}`),
        })
        statuses.push(res.status)
        if (res.status === 503) expect(res.headers.get('retry-after')).toBe('1')
      }
    }
    const real = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      return (await postOtlp(server.url, oneSpan(), { 'Content-Type': 'application/json', ...authFor(TEST_API_KEY) }))
        .status
    })()
    await Promise.all([...Array.from({ length: 20 }, sender), real])
    const seconds = (performance.now() - started) / 1000
    expect(await real).toBe(200)
    expect(statuses).toHaveLength(1_000)
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true)
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0)
    // A burst of twice the rate, then the rate.
    expect(keyQueries - before).toBeLessThanOrEqual(
      Math.ceil(2 * KEY_LOOKUPS_PER_SECOND + KEY_LOOKUPS_PER_SECOND * seconds),
    )
  })
})
