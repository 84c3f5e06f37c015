/**
 * A trace by id is read without FINAL (src/db/repositories/traces.ts): a span an exporter sent
 * twice, still in two unmerged parts, must be shown once, as its newest copy (the copy
 * ReplacingMergeTree(ingested_at) keeps), in the full view, the skeleton view and by span id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GetTraceResponse, Span } from '@sightline/schema'
import { sql, str } from '../../src/db/sql.js'
import { makeTraceRequest, sendJson, traceIdFor, type TraceSpec } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const spec = (result: string): TraceSpec => ({
  seed: 'copies',
  startMs: Date.parse('2026-06-01T10:00:00Z'),
  tools: [{ name: 'lookup', result }],
})
const id = traceIdFor('copies')

beforeAll(async () => {
  server = await startTestServer()
  // Unmerged parts are the case FINAL used to hide: both copies are there.
  await server.deps.store.command(sql`SYSTEM STOP MERGES spans`)
  await sendJson(server.url, server.authHeaders, makeTraceRequest(spec('first copy')))
  await server.drain()
  // The writer drops an exporter's retry it remembers (src/ingest/recent-spans.ts); one it has
  // forgotten (a restart) is stored again: a later copy of every span, the tool's result changed.
  await server.deps.store.command(sql`INSERT INTO spans SELECT * REPLACE (
      if(tool_name = 'lookup', ${str('"second copy"')}, tool_result) AS tool_result, ingested_at + 1 AS ingested_at)
    FROM spans WHERE trace_id = ${str(id)}`)
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/traces/{id} over unmerged copies of its spans', () => {
  it('stores both copies, and shows each span once, the newest copy', async () => {
    const [stored] = await server.deps.store.query<{ n: string; spans: string }>(
      sql`SELECT count() AS n, uniqExact(span_id) AS spans FROM spans WHERE trace_id = ${str(id)}`,
    )
    expect(Number(stored?.n)).toBe(2 * Number(stored?.spans))
    const full = await getJson<GetTraceResponse>(server, `/api/v1/traces/${id}`)
    expect(full.status).toBe(200)
    const spans = full.body.spans
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length)
    expect(spans.length).toBe(Number(stored?.spans))
    expect(full.body.trace.spanCount).toBe(spans.length)
    const tool = spans.find((s) => s.toolName === 'lookup')
    expect(tool?.toolResult).toBe('"second copy"')
    // Time order, as before.
    const starts = spans.map((s) => s.startTime)
    expect(starts).toEqual([...starts].sort())

    const skeleton = await getJson<GetTraceResponse>(server, `/api/v1/traces/${id}?view=skeleton`)
    expect(skeleton.body.spans.map((s) => s.spanId)).toEqual(spans.map((s) => s.spanId))

    const one = await getJson<{ span: Span }>(server, `/api/v1/traces/${id}/spans/${tool?.spanId}`)
    expect(one.status).toBe(200)
    expect(one.body.span.toolResult).toBe('"second copy"')
  })
})
