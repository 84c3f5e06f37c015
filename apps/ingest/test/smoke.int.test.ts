import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GetTraceResponse, ListTracesResponse } from '@sightline/schema'
import { getJson, startTestServer, type TestServer } from './helpers/server.js'

const CORPUS = '/work/shared/corpus/otlp'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

describe('smoke', () => {
  it('ingests a JSON body and serves it back', async () => {
    const body = fs.readFileSync(`${CORPUS}/otel-js-exporter-otlp-http-0.223.1__basic-genai-semconv.otlp.json`)
    const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...server.authHeaders } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({})
    await server.drain()
    const list = await getJson<ListTracesResponse>(server, '/api/v1/traces?from=2000-01-01T00:00:00Z')
    expect(list.status).toBe(200)
    expect(list.body.traces).toHaveLength(1)
    const id = list.body.traces[0]!.traceId
    const detail = await getJson<GetTraceResponse>(server, `/api/v1/traces/${id}`)
    expect(detail.body.spans).toHaveLength(3)
    console.log(JSON.stringify(detail.body.trace, null, 1))
  })
})
