/**
 * 500 concurrent trace-list calls once all ran against the store at once and took 28 s each. Now
 * a few run, a short queue waits, and the rest are told 503 + Retry-After at once, in the API's
 * JSON error envelope; `/healthz` and OTLP ingest (which never wait for a query slot) stay fast.
 * The server runs as a child process, so that the 500 clients here do not share its event loop.
 */
import type { ApiError, ListTracesResponse } from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTraceRequest, sendJson } from '@sightline/testkit/otlp-json'
import { healthWhile, startChildServer, type ChildServer } from '../helpers/child-server.js'
import { authFor, postOtlp, waitFor } from './helpers.js'

const API_KEY = 'sl_query_load_key_0123456789'
const AUTH = authFor(API_KEY)
const TRACES = 1_000
let server: ChildServer

beforeAll(async () => {
  server = await startChildServer(API_KEY)
  const now = Date.now()
  for (let batch = 0; batch < TRACES / 50; batch++) {
    const requests = Array.from({ length: 50 }, (_, i) =>
      makeTraceRequest({
        seed: `load-${batch}-${i}`,
        startMs: now - 3_600_000 + (batch * 50 + i) * 1000,
        llmCalls: 2,
        tools: [{ name: 'search' }],
      }),
    )
    const resourceSpans = requests.flatMap((r) => (r as { resourceSpans: unknown[] }).resourceSpans)
    await sendJson(server.url, AUTH, { resourceSpans })
  }
  await waitFor('every trace to be stored', async () => {
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { spoolDepthBytes?: number }
    return ready.spoolDepthBytes === 0 ? true : undefined
  })
  // Listed once resolved (the resolver waits for each trace's quiet second).
  await waitFor('the traces to be listed', async () => {
    const res = await fetch(`${server.url}/api/v1/traces?limit=50`, { headers: AUTH })
    const body = (await res.json()) as ListTracesResponse
    return res.status === 200 && body.traces.length === 50 ? true : undefined
  })
})
afterAll(async () => {
  await server?.stop()
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

interface Call {
  status: number
  ms: number
  retryAfter: string | null
  body: unknown
}

async function listTraces(): Promise<Call> {
  const started = performance.now()
  const res = await fetch(`${server.url}/api/v1/traces?limit=50`, { headers: AUTH })
  const body: unknown = await res.json()
  return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after'), body }
}

describe('query load', () => {
  it('500 concurrent trace lists: each answered quickly (200 or 503), health and ingest stay fast', async () => {
    const calls = Promise.all(Array.from({ length: 500 }, listTraces))
    const otlp = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const started = performance.now()
      const start = BigInt(Date.now()) * 1_000_000n
      const span = {
        traceId: 'ab'.repeat(16),
        spanId: 'cd'.repeat(8),
        name: 'during-load',
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + 1000n),
      }
      const res = await postOtlp(server.url, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }), {
        'Content-Type': 'application/json',
        ...AUTH,
      })
      return { status: res.status, ms: performance.now() - started }
    })()
    const health = await healthWhile(server.url, calls)
    const results = await calls

    const ok = results.filter((call) => call.status === 200)
    const refused = results.filter((call) => call.status === 503)
    expect(ok.length + refused.length).toBe(500)
    expect(ok.length).toBeGreaterThanOrEqual(4)
    expect((ok[0]!.body as ListTracesResponse).traces).toHaveLength(50)
    for (const call of refused) {
      expect(call.retryAfter).toBe('1')
      expect((call.body as ApiError).error).toEqual({ code: 'overloaded', message: expect.stringMatching(/retry/i) })
    }
    // Refusals are immediate; admitted calls wait at most for the short queue ahead of them (5 s).
    expect(median(results.map((call) => call.ms))).toBeLessThan(2_000)
    expect(Math.max(...results.map((call) => call.ms))).toBeLessThan(10_000)
    // A probe sent with the burst waits behind 500 requests' HTTP handling (~1 s here), no longer.
    expect(median(health)).toBeLessThan(100)
    expect(Math.max(...health)).toBeLessThan(3_000)
    const ingest = await otlp
    expect(ingest.status).toBe(200)
    expect(ingest.ms).toBeLessThan(3_000)
  })

  it('serves every call again once the load is gone', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, listTraces))
    expect(results.map((call) => call.status)).toEqual([200, 200, 200, 200])
  })
})
