import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeSpanColumns, TraceSkeletonResponseSchema, type GetTraceResponse } from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from './helpers/server.js'

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
})
