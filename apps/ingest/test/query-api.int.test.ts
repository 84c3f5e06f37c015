import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GetTraceResponse, ListTracesResponse, TraceSummary } from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor, type TraceSpec } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from './helpers/server.js'

let server: TestServer
const T0 = Date.parse('2026-03-01T10:00:00Z')
const FROM = '2026-03-01T00:00:00Z'
const TO = '2026-03-02T00:00:00Z'

const specs: TraceSpec[] = [
  {
    seed: 'planner-ok',
    startMs: T0,
    agent: 'planner',
    model: 'gpt-4o',
    sessionId: 'sess-a',
    userId: 'alice',
    release: '1.0.0',
    service: 'fleet',
    llmCalls: 2,
    tools: [{ name: 'search', args: { q: 'weather in Paris' }, result: 'sunny' }],
  },
  {
    seed: 'planner-err',
    startMs: T0 + 60_000,
    agent: 'planner',
    model: 'gpt-4o',
    sessionId: 'sess-a',
    userId: 'alice',
    release: '1.1.0',
    service: 'fleet',
    tools: [{ name: 'search', error: 'timeout calling search' }],
  },
  {
    seed: 'exec-expensive',
    startMs: T0 + 120_000,
    agent: 'executor',
    model: 'gpt-4o',
    inputTokens: 200_000,
    outputTokens: 10_000,
    userId: 'bob',
    release: '1.1.0',
    service: 'exec',
    durationMs: 30_000,
  },
  {
    seed: 'exec-unknown-model',
    startMs: T0 + 180_000,
    agent: 'executor',
    model: 'acme-llm-1',
    provider: 'acme',
    userId: 'bob',
    service: 'exec',
    prompt: 'Refund order ZX-4411 please',
  },
]

const list = async (query: string, headers?: Record<string, string>) =>
  getJson<ListTracesResponse>(server, `/api/v1/traces?from=${FROM}&to=${TO}&${query}`, headers)
const ids = (traces: TraceSummary[]) => traces.map((t) => t.traceId).sort()
const idsOf = (...seeds: string[]) => seeds.map(traceIdFor).sort()

beforeAll(async () => {
  server = await startTestServer()
  for (const spec of specs) await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/traces filters', () => {
  it.each([
    ['agent=planner', ['planner-ok', 'planner-err']],
    ['agent=executor,planner', ['planner-ok', 'planner-err', 'exec-expensive', 'exec-unknown-model']],
    // A failed tool under a root that ended well: recovered, not failed (packages/schema TraceOutcomeSchema).
    ['status=recovered', ['planner-err']],
    ['status=failed,recovered', ['planner-err']],
    ['status=error', []],
    ['status=ok', ['planner-ok', 'exec-expensive', 'exec-unknown-model']],
    ['sessionId=sess-a', ['planner-ok', 'planner-err']],
    ['userId=bob', ['exec-expensive', 'exec-unknown-model']],
    ['release=1.1.0', ['planner-err', 'exec-expensive']],
    ['service=exec', ['exec-expensive', 'exec-unknown-model']],
    ['model=acme-llm-1', ['exec-unknown-model']],
    ['tool=search', ['planner-ok', 'planner-err']],
    ['minCostUsd=0.5', ['exec-expensive']],
    ['minDurationMs=10000', ['exec-expensive']],
    ['q=zx-4411', ['exec-unknown-model']],
    ['q=timeout', ['planner-err']],
  ])('%s', async (query, seeds) => {
    const res = await list(query)
    expect(res.status).toBe(200)
    expect(ids(res.body.traces)).toEqual(idsOf(...seeds))
  })

  it('an empty time range finds nothing', async () => {
    const res = await getJson<ListTracesResponse>(
      server,
      '/api/v1/traces?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
    )
    expect(res.body.traces).toEqual([])
  })

  it('answers 400 naming the bad parameter', async () => {
    const res = await getJson<{ error: { message: string } }>(server, '/api/v1/traces?status=maybe&limit=0')
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/status/)
    expect(res.body.error.message).toMatch(/limit/)
    const unknown = await getJson<{ error: { message: string } }>(server, '/api/v1/traces?colour=red')
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toMatch(/colour/)
  })
})

describe('trace totals and detail', () => {
  it('sums tokens and cost over provider calls only, and marks unpriced models', async () => {
    const res = await list('sort=costUsd&order=desc')
    const byId = new Map(res.body.traces.map((t) => [t.traceId, t]))
    const ok = byId.get(traceIdFor('planner-ok'))!
    expect(ok).toMatchObject({
      spanCount: 4,
      llmCallCount: 2,
      toolCallCount: 1,
      inputTokens: 200,
      outputTokens: 40,
      agents: ['planner'],
      outcome: 'ok',
    })
    // gpt-4o: $2.50 / M input, $10 / M output.
    expect(ok.costUsd).toBeCloseTo((2 * (100 * 2.5 + 20 * 10)) / 1e6, 12)
    const unknown = byId.get(traceIdFor('exec-unknown-model'))!
    expect(unknown.costUsd).toBeNull()
    expect(unknown.unpricedLlmCalls).toBe(1)
    expect(res.body.traces[0]!.traceId).toBe(traceIdFor('exec-expensive'))
  })

  it('returns every span of a trace with the contract fields', async () => {
    const res = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdFor('planner-err').toUpperCase()}`)
    expect(res.status).toBe(200)
    expect(res.body.trace).toMatchObject({
      outcome: 'recovered',
      failureReason: '',
      firstError: { spanId: expect.any(String), message: 'search: timeout calling search' },
      errorCount: 1,
      toolErrorCount: 1,
      sessionId: 'sess-a',
      userId: 'alice',
      releases: ['1.1.0'],
    })
    const tool = res.body.spans.find((s) => s.kind === 'tool')!
    expect(tool).toMatchObject({
      toolName: 'search',
      toolCallId: 'call_0',
      status: 'error',
      statusMessage: 'timeout calling search',
      agentName: 'planner',
      serviceVersion: '1.1.0',
    })
    expect(res.body.spans.map((s) => (s.parentSpanId === '' ? 'root' : 'child')).sort()).toEqual([
      'child',
      'child',
      'root',
    ])
  })

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    expect((await getJson(server, `/api/v1/traces/${'0'.repeat(31)}1`)).status).toBe(404)
    expect((await getJson(server, '/api/v1/traces/not-hex')).status).toBe(400)
  })

  it('does not count a span sent twice', async () => {
    await sendJson(server.url, server.authHeaders, makeTraceRequest(specs[0]!))
    await server.drain()
    const res = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdFor('planner-ok')}`)
    expect(res.body.trace.spanCount).toBe(4)
    expect(res.body.spans).toHaveLength(4)
  })
})

describe('pagination', () => {
  it('walks every trace once, in order, with the cursor', async () => {
    const extra = Array.from({ length: 23 }, (_, i) => ({
      seed: `page-${i}`,
      startMs: T0 + 3_600_000 + i * 1000,
      agent: 'pager',
      inputTokens: 10 + i,
    }))
    for (const spec of extra) await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
    await server.drain()
    const seen: TraceSummary[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: { body: ListTracesResponse } = await list(
        `agent=pager&sort=totalTokens&order=asc&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...res.body.traces)
      cursor = res.body.nextCursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBe(3)
    expect(seen.map((t) => t.traceId)).toEqual(extra.map((s) => traceIdFor(s.seed)))
  })

  it('refuses a cursor from another sort order', async () => {
    const first = await list('agent=pager&sort=totalTokens&order=asc&limit=5')
    const res = await list(`agent=pager&sort=startTime&limit=5&cursor=${first.body.nextCursor}`)
    expect(res.status).toBe(400)
  })
})

describe('price overrides', () => {
  it('re-prices spans from the effective date on, without rewriting them', async () => {
    const put = await fetch(`${server.url}/api/v1/price-overrides`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({
        model: 'acme-llm-1',
        effectiveFrom: '2026-03-01T10:02:00Z',
        inputPerMtok: 1,
        outputPerMtok: 2,
        cacheReadPerMtok: null,
        cacheWritePerMtok: null,
      }),
    })
    expect(put.status).toBe(200)
    const overrideGpt = await fetch(`${server.url}/api/v1/price-overrides`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      // In force after planner-ok (10:00) but before planner-err (10:01).
      body: JSON.stringify({
        model: 'gpt-4o',
        effectiveFrom: '2026-03-01T10:00:30Z',
        inputPerMtok: 100,
        outputPerMtok: 100,
        cacheReadPerMtok: null,
        cacheWritePerMtok: null,
      }),
    })
    expect(overrideGpt.status).toBe(200)
    await server.drain()
    const res = await list('')
    const byId = new Map(res.body.traces.map((t) => [t.traceId, t]))
    expect(byId.get(traceIdFor('exec-unknown-model'))).toMatchObject({
      costUsd: (100 * 1 + 20 * 2) / 1e6,
      unpricedLlmCalls: 0,
    })
    expect(byId.get(traceIdFor('planner-ok'))!.costUsd).toBeCloseTo((2 * (100 * 2.5 + 20 * 10)) / 1e6, 12)
    expect(byId.get(traceIdFor('planner-err'))!.costUsd).toBeCloseTo((100 * 100 + 20 * 100) / 1e6, 12)
    const detail = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdFor('exec-unknown-model')}`)
    expect(detail.body.spans.find((s) => s.isLlmCall)).toMatchObject({ costUsd: 0.00014, isUnpriced: false })

    const listed = await getJson<{ overrides: unknown[] }>(server, '/api/v1/price-overrides')
    expect(listed.body.overrides).toHaveLength(2)
    const del = await fetch(`${server.url}/api/v1/price-overrides?model=gpt-4o&effectiveFrom=2026-03-01T10:00:30Z`, {
      method: 'DELETE',
      headers: server.authHeaders,
    })
    expect(del.status).toBe(204)
    await server.drain()
    const after = await list('agent=planner&status=recovered')
    expect(after.body.traces[0]!.costUsd).toBeCloseTo((100 * 2.5 + 20 * 10) / 1e6, 12)
  })

  it('rejects an invalid override with 400', async () => {
    const res = await fetch(`${server.url}/api/v1/price-overrides`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({ model: '', effectiveFrom: 'yesterday', inputPerMtok: -1 }),
    })
    expect(res.status).toBe(400)
  })
})

describe('project scoping', () => {
  it("never shows one project's traces to another project's key", async () => {
    const other = await server.deps.projects.createProject('other')
    const headers = { 'x-api-key': other.apiKey }
    expect((await list('', headers)).body.traces).toEqual([])
    expect((await getJson(server, `/api/v1/traces/${traceIdFor('planner-ok')}`, headers)).status).toBe(404)
    expect((await getJson(server, '/api/v1/traces', { Authorization: 'Bearer nope-nope-nope' })).status).toBe(401)
    expect((await getJson(server, '/api/v1/traces', {})).status).toBe(401)
  })
})

describe('other OTLP paths real SDKs use', () => {
  it('accepts the Langfuse SDK path with Basic auth (public key : secret key)', async () => {
    const basic = Buffer.from(`pk-lf-anything:${TEST_API_KEY}`).toString('base64')
    const body = JSON.stringify(makeTraceRequest({ seed: 'langfuse-path', startMs: T0 + 7_200_000, agent: 'lf-agent' }))
    const res = await fetch(`${server.url}/api/public/otel/v1/traces`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${basic}` },
    })
    expect(res.status).toBe(200)
    await server.drain()
    expect(ids((await list('agent=lf-agent')).body.traces)).toEqual(idsOf('langfuse-path'))
  })

  it('answers OTLP logs and metrics without error, in the request encoding', async () => {
    for (const path of ['/v1/logs', '/v1/metrics']) {
      const json = await fetch(`${server.url}${path}`, {
        method: 'POST',
        body: '{"resourceLogs":[]}',
        headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      })
      expect(json.status).toBe(200)
      expect(json.headers.get('content-type')).toMatch(/application\/json/)
      const proto = await fetch(`${server.url}${path}`, {
        method: 'POST',
        body: new Uint8Array(0),
        headers: { 'Content-Type': 'application/x-protobuf', ...server.authHeaders },
      })
      expect(proto.status).toBe(200)
      expect(proto.headers.get('content-type')).toMatch(/application\/x-protobuf/)
    }
  })
})
