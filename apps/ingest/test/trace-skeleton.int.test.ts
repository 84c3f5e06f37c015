import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeSpanColumns,
  TraceSkeletonLineSchema,
  TraceSkeletonResponseSchema,
  type GetTraceResponse,
  type ListTracesResponse,
} from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { sql, str } from '../src/db/sql.js'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from './helpers/server.js'

let server: TestServer
const T0 = Date.parse('2026-03-01T10:00:00Z')

beforeAll(async () => {
  server = await startTestServer()
  await sendJson(
    server.url,
    server.authHeaders,
    makeTraceRequest({
      seed: 'cols',
      startMs: T0,
      agent: 'planner',
      model: 'gpt-4o',
      sessionId: 'sess-a',
      userId: 'alice',
      llmCalls: 3,
      tools: [
        { name: 'search', args: { q: 'x' }, result: 'y' },
        { name: 'search', error: 'timeout' },
      ],
    }),
  )
  await sendJson(
    server.url,
    server.authHeaders,
    makeTraceRequest({ seed: 'cols-unpriced', startMs: T0, agent: 'executor', model: 'acme-llm-1', provider: 'acme' }),
  )
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/traces/{id}/skeleton', () => {
  it.each(['cols', 'cols-unpriced'])(
    'decodes to exactly the spans and summary of ?view=skeleton (%s)',
    async (seed) => {
      const rows = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdFor(seed)}?view=skeleton`)
      const columns = await getJson<unknown>(server, `/api/v1/traces/${traceIdFor(seed).toUpperCase()}/skeleton`)
      expect(columns.status).toBe(200)
      const parsed = TraceSkeletonResponseSchema.parse(columns.body)
      expect(parsed.trace).toEqual(rows.body.trace)
      expect(decodeSpanColumns(parsed.spans)).toEqual(rows.body.spans)
      expect(parsed.spans.count).toBe(rows.body.spans.length)
      // And the same as the full trace with its heavy fields left out (the skeleton reads fewer columns).
      const full = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdFor(seed)}`)
      const blank = {
        toolArguments: '',
        toolResult: '',
        input: '',
        output: '',
        attributes: {},
        resourceAttributes: {},
        events: [],
      }
      expect(parsed.trace).toEqual(full.body.trace)
      expect(decodeSpanColumns(parsed.spans)).toEqual(full.body.spans.map((s) => ({ ...s, ...blank })))
      expect(parsed.spans.count).toBeGreaterThan(1)
    },
  )

  it("answers 404 for an unknown or another project's trace and 400 for a malformed id", async () => {
    expect((await getJson(server, `/api/v1/traces/${'0'.repeat(31)}1/skeleton`)).status).toBe(404)
    expect((await getJson(server, '/api/v1/traces/not-hex/skeleton')).status).toBe(400)
    const other = await server.deps.projects.createProject('other')
    expect(
      (await getJson(server, `/api/v1/traces/${traceIdFor('cols')}/skeleton`, { 'x-api-key': other.apiKey })).status,
    ).toBe(404)
  })

  it('answers 404, not 500, for a trace the lookup table still knows whose spans are gone', async () => {
    // An empty store result comes without its columns' arrays: the read must not take that for a bad answer.
    const project = (await server.deps.projects.findProjectByKey(TEST_API_KEY))!
    const id = 'f'.repeat(32)
    await server.deps.store.command(sql`INSERT INTO trace_index (project_id, trace_id, start_min, start_max,
      last_ingested) VALUES (${str(project)}, ${str(id)}, now64(9), now64(9), now64(3))`)
    expect((await getJson(server, `/api/v1/traces/${id}/skeleton`)).status).toBe(404)
    expect((await getJson(server, `/api/v1/traces/${id}?view=skeleton`)).status).toBe(404)
  })

  it('a trace asked again shows new spans and a new price at once (its kept resolution is checked)', async () => {
    const T1 = Date.parse('2026-03-01T11:00:00Z')
    const path = `/api/v1/traces/${traceIdFor('kept')}`
    const skeleton = async () =>
      TraceSkeletonResponseSchema.parse((await getJson<unknown>(server, `${path}/skeleton`)).body)
    const send = async (llmCalls: number) => {
      const body = makeTraceRequest({ seed: 'kept', startMs: T1, agent: 'kept', model: 'acme-kept-1', llmCalls })
      await sendJson(server.url, server.authHeaders, body)
      await server.drain()
    }
    await send(1)
    const first = await skeleton()
    expect(first.trace).toMatchObject({ spanCount: 2, llmCallCount: 1, unpricedLlmCalls: 1, costUsd: null })
    expect(await skeleton()).toEqual(first)

    // The exporter sends the trace again with two more model calls (the first two spans are copies).
    await send(3)
    expect((await skeleton()).trace).toMatchObject({ spanCount: 4, llmCallCount: 3, unpricedLlmCalls: 3 })

    const put = await fetch(`${server.url}/api/v1/price-overrides`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({
        model: 'acme-kept-1',
        effectiveFrom: '2026-03-01T00:00:00Z',
        inputPerMtok: 1,
        outputPerMtok: 2,
        cacheReadPerMtok: null,
        cacheWritePerMtok: null,
      }),
    })
    expect(put.status).toBe(200)
    const priced = await skeleton()
    expect(priced.trace.unpricedLlmCalls).toBe(0)
    expect(priced.trace.costUsd).toBeCloseTo((3 * (100 * 1 + 20 * 2)) / 1e6, 12)
    // Every call in the skeleton's columns carries the override's price, as the span objects do.
    const calls = decodeSpanColumns(priced.spans).filter((span) => span.isLlmCall)
    expect(calls.map((s) => [s.costUsd, s.costSource, s.isUnpriced])).toEqual(
      Array(3).fill([(100 * 1 + 20 * 2) / 1e6, 'override', false]),
    )
    const rows = await getJson<GetTraceResponse>(server, `${path}?view=skeleton`)
    expect(decodeSpanColumns(priced.spans)).toEqual(rows.body.spans)
    const call = calls[0]!
    const one = await getJson<{ span: { costUsd: number; costSource: string; agentName: string } }>(
      server,
      `${path}/spans/${call.spanId}`,
    )
    expect(one.body.span).toMatchObject({
      costUsd: (100 * 1 + 20 * 2) / 1e6,
      costSource: 'override',
      agentName: 'kept',
    })
  })
})

describe('GET /api/v1/traces/{id}/skeleton?head=N (in lines)', () => {
  const lines = async (pathAndQuery: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${pathAndQuery}`, { headers: { ...server.authHeaders, ...headers } })
    // fetch inflates a gzipped body itself (and asks for one unless told otherwise).
    const text = await res.text()
    return {
      res,
      parts: text
        .trimEnd()
        .split('\n')
        .map((line) => TraceSkeletonLineSchema.parse(JSON.parse(line))),
    }
  }

  it('ends with the whole skeleton, the same as /skeleton answers, after at most one head', async () => {
    const path = `/api/v1/traces/${traceIdFor('cols')}/skeleton`
    const whole = TraceSkeletonResponseSchema.parse((await getJson<unknown>(server, path)).body)
    for (const head of [1, 2, 5000]) {
      const { res, parts } = await lines(`${path}?head=${head}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/x-ndjson')
      expect(parts.length).toBeLessThanOrEqual(2)
      expect(parts.slice(0, -1).every((p) => p.part === 'head')).toBe(true)
      expect(parts.at(-1)).toEqual({ part: 'whole', ...whole })
    }
  })

  it('the head is the first spans by start time under the stored summary (the list row)', async () => {
    const project = (await server.deps.projects.findProjectByKey(TEST_API_KEY))!
    const id = traceIdFor('head')
    await sendJson(
      server.url,
      server.authHeaders,
      makeTraceRequest({ seed: 'head', startMs: T0 + 60_000, agent: 'planner', model: 'gpt-4o', llmCalls: 4 }),
    )
    await server.drain()
    const reader = server.deps.traceReader
    const parts = reader.skeletonParts(project, id, 2)
    const head = (await parts.head)!
    const list = await getJson<ListTracesResponse>(
      server,
      `/api/v1/traces?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&agent=planner&limit=100`,
    )
    expect(head.trace).toEqual(list.body.traces.find((t) => t.traceId === id))
    const whole = (await parts.whole)!
    expect(whole).toEqual(await reader.skeletonColumns(project, id))
    expect(head.trace).toEqual(whole.trace)
    const firstTwo = decodeSpanColumns(TraceSkeletonResponseSchema.parse(whole).spans).slice(0, 2)
    const headSpans = decodeSpanColumns(TraceSkeletonResponseSchema.parse(head).spans)
    expect(headSpans.map((s) => [s.spanId, s.name, s.startTime, s.costUsd, s.agentName])).toEqual(
      firstTwo.map((s) => [s.spanId, s.name, s.startTime, s.costUsd, s.agentName]),
    )
    // Nothing sooner to offer: the whole is kept from the read above, or fits in the head.
    expect(await reader.skeletonParts(project, id, 2).head).toBeUndefined()
    expect(await reader.skeletonParts(project, traceIdFor('cols'), 5000).head).toBeUndefined()
    const unknown = reader.skeletonParts(project, 'e'.repeat(32), 2)
    expect([await unknown.head, await unknown.whole]).toEqual([undefined, undefined])
  })

  it('gzips when asked, and answers 400 for a bad head and 404 for an unknown trace', async () => {
    const path = `/api/v1/traces/${traceIdFor('cols')}/skeleton`
    const gz = await lines(`${path}?head=3`, { 'Accept-Encoding': 'gzip' })
    expect(gz.res.headers.get('content-encoding')).toBe('gzip')
    const plain = await lines(`${path}?head=3`, { 'Accept-Encoding': 'identity' })
    expect(plain.res.headers.get('content-encoding')).toBeNull()
    expect(plain.parts.at(-1)).toEqual(gz.parts.at(-1))
    for (const bad of ['0', '5001', 'x', '1.5']) expect((await getJson(server, `${path}?head=${bad}`)).status).toBe(400)
    expect((await getJson(server, `/api/v1/traces/${'0'.repeat(31)}1/skeleton?head=10`)).status).toBe(404)
  })
})
