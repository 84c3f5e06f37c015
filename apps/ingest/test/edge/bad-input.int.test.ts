/**
 * Hostile and broken input at the OTLP edge and the query API. Each rejection must have the right
 * status (exporters retry 429/503 only and drop 400/401/413/500), a google.rpc.Status body in the
 * request's encoding with a message that says why, and must leave the server working.
 *
 * The server runs with SPOOL_MAX_BYTES=1 and a long segment age, so a batch stays in the open spool
 * segment until `drain()` seals it: a second batch before that is refused as overload (503). Every
 * accepted batch in this file is therefore followed by `drain()`. The store is closed by the last
 * test only, since chDB cannot reopen in this process.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { Readable } from 'node:stream'
import { createGzip, gzipSync } from 'node:zlib'
import type { ApiError, ListTracesResponse } from '@sightline/schema'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExportTraceServiceResponse, RpcStatus } from '../../src/otlp/otlp-proto.js'
import { TEST_API_KEY, startTestServer, type TestServer } from '../helpers/server.js'
import { apiGet, authFor, postCorpusFile, postOtlp, waitFor } from './helpers.js'

const MAX_BODY = 256 * 1024
const JSON_CT = 'application/json'
const PB_CT = 'application/x-protobuf'
let server: TestServer
let storeClosed = false
/** Created while the store was up, never used before it went down: not in the auth cache. */
let coldKey = ''

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

interface SpanSpec {
  traceId?: string
  spanId?: string
  name?: string
}
/** A minimal valid OTLP/JSON batch; each span gets fresh ids unless given. */
function batch(specs: SpanSpec[] = [{}]): string {
  const now = BigInt(Date.now()) * 1_000_000n
  const spans = specs.map((spec, i) => ({
    traceId: spec.traceId ?? hex(16),
    spanId: spec.spanId ?? hex(8),
    name: spec.name ?? `span-${i}`,
    kind: 1,
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
  }))
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad-input' } }] },
        scopeSpans: [{ scope: { name: 't' }, spans }],
      },
    ],
  })
}

const jsonHeaders = (extra: Record<string, string> = {}) => ({
  'Content-Type': JSON_CT,
  ...server.authHeaders,
  ...extra,
})

function jsonStatus(res: { body: Buffer }): { code: number; message: string } {
  return JSON.parse(res.body.toString('utf8')) as { code: number; message: string }
}

beforeAll(async () => {
  server = await startTestServer({
    INGEST_MAX_BODY_BYTES: String(MAX_BODY),
    SPOOL_MAX_BYTES: '1',
    SPOOL_SEGMENT_MAX_AGE_MS: '600000',
  })
})
afterAll(async () => {
  await server?.stop().catch(() => undefined)
})
// The server keeps working after every rejection: a valid batch right afterwards is stored.
afterEach(async () => {
  if (storeClosed) return
  const traceId = hex(16)
  const res = await postOtlp(server.url, batch([{ traceId }]), jsonHeaders())
  expect(res.status).toBe(200)
  await server.drain()
  expect((await apiGet(server.url, `/api/v1/traces/${traceId}`, TEST_API_KEY)).status).toBe(200)
})

describe('undecodable bodies → 400 + google.rpc.Status', () => {
  it('malformed JSON', async () => {
    const res = await postOtlp(server.url, '{"resourceSpans": [', jsonHeaders())
    expect(res.status).toBe(400)
    expect(res.contentType).toBe(JSON_CT)
    const status = jsonStatus(res)
    expect(status.code).toBe(3)
    expect(status.message).toMatch(/json/i)
  })

  it('JSON of the wrong shape', async () => {
    const res = await postOtlp(server.url, '{"resourceSpans": 5}', jsonHeaders())
    expect(res.status).toBe(400)
    expect(jsonStatus(res).message).toMatch(/resourceSpans/)
  })

  it('garbage protobuf, answered in protobuf', async () => {
    const res = await postOtlp(server.url, Buffer.from('this is not a protobuf message at all \xff\xff\xff'), {
      'Content-Type': PB_CT,
      ...server.authHeaders,
    })
    expect(res.status).toBe(400)
    expect(res.contentType).toBe(PB_CT)
    const status = RpcStatus.toObject(RpcStatus.decode(res.body)) as { code: number; message: string }
    expect(status.code).toBe(3)
    expect(status.message).toMatch(/protobuf/i)
  })

  it('corrupt gzip', async () => {
    const good = gzipSync(Buffer.from(batch()))
    const corrupt = Buffer.concat([good.subarray(0, 10), Buffer.alloc(40, 0xab), good.subarray(50)])
    const res = await postOtlp(server.url, corrupt, jsonHeaders({ 'Content-Encoding': 'gzip' }))
    expect(res.status).toBe(400)
    expect(jsonStatus(res).message).toMatch(/corrupt gzip/i)
  })

  it('a body that claims gzip but is plain', async () => {
    const res = await postOtlp(server.url, batch(), jsonHeaders({ 'Content-Encoding': 'gzip' }))
    expect(res.status).toBe(400)
    expect(jsonStatus(res).message).toMatch(/gzip/i)
  })
})

describe('protocol misuse', () => {
  it('415 for a content type other than JSON or protobuf', async () => {
    const res = await postOtlp(server.url, batch(), { 'Content-Type': 'text/plain', ...server.authHeaders })
    expect(res.status).toBe(415)
    expect(jsonStatus(res).message).toMatch(/Unsupported Content-Type "text\/plain"/)
  })

  it('415 with no content type at all', async () => {
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from(batch())),
      headers: server.authHeaders,
    })
    expect(res.status).toBe(415)
  })

  it('415 for an unsupported Content-Encoding', async () => {
    const res = await postOtlp(server.url, batch(), jsonHeaders({ 'Content-Encoding': 'br' }))
    expect(res.status).toBe(415)
    expect(jsonStatus(res).message).toMatch(/Content-Encoding/)
  })

  it('405 with Allow: POST for GET /v1/traces', async () => {
    const res = await fetch(`${server.url}/v1/traces`, { headers: server.authHeaders })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(((await res.json()) as { message: string }).message).toMatch(/GET is not allowed/)
  })
})

describe('authentication and isolation', () => {
  it('401 without a key, in the request encoding', async () => {
    const res = await postOtlp(server.url, batch(), { 'Content-Type': JSON_CT })
    expect(res.status).toBe(401)
    expect(res.contentType).toBe(JSON_CT)
    expect(jsonStatus(res)).toEqual({ code: 16, message: expect.stringMatching(/Missing API key/) })
  })

  it('401 with a wrong key (protobuf request → protobuf Status)', async () => {
    const res = await postOtlp(server.url, new Uint8Array(0), {
      'Content-Type': PB_CT,
      Authorization: 'Bearer sl_wrong_key_000000',
    })
    expect(res.status).toBe(401)
    expect(res.contentType).toBe(PB_CT)
    const status = RpcStatus.toObject(RpcStatus.decode(res.body)) as { code: number; message: string }
    expect(status.code).toBe(16)
    expect(status.message).toMatch(/Unknown or revoked API key/)
  })

  it('401 on the query API without or with a wrong key', async () => {
    const none = await fetch(`${server.url}/api/v1/traces`)
    expect(none.status).toBe(401)
    expect(((await none.json()) as ApiError).error.message).toMatch(/Missing API key/)
    const wrong = await apiGet<ApiError>(server.url, '/api/v1/traces', 'sl_wrong_key_000000')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.message).toMatch(/Unknown or revoked/)
  })

  it("404 for another project's trace, which is not listed either", async () => {
    const other = await server.deps.projects.createProject('other')
    const traceId = hex(16)
    expect(
      (await postOtlp(server.url, batch([{ traceId }]), { 'Content-Type': JSON_CT, ...authFor(other.apiKey) })).status,
    ).toBe(200)
    await server.drain()
    expect((await apiGet(server.url, `/api/v1/traces/${traceId}`, other.apiKey)).status).toBe(200)

    const mine = await apiGet<ApiError>(server.url, `/api/v1/traces/${traceId}`, TEST_API_KEY)
    expect(mine.status).toBe(404)
    expect(mine.body.error).toEqual({ code: 'not_found', message: expect.stringContaining(`No trace ${traceId}`) })
    const list = await apiGet<ListTracesResponse>(
      server.url,
      '/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500',
      TEST_API_KEY,
    )
    expect(list.status).toBe(200)
    expect(list.body.traces.map((t) => t.traceId)).not.toContain(traceId)
  })
})

describe('query parameter validation → 400 naming the field', () => {
  it.each([
    ['/api/v1/traces?limit=abc', /limit/],
    ['/api/v1/traces?limit=0', /limit/],
    ['/api/v1/traces?from=yesterday', /from/],
    ['/api/v1/traces?sort=bogus', /sort/],
    ['/api/v1/traces?order=sideways', /order/],
    ['/api/v1/traces?status=maybe', /status/],
    ['/api/v1/traces?minCostUsd=-1', /minCostUsd/],
    ['/api/v1/traces?nosuchfilter=1', /nosuchfilter/],
    ['/api/v1/traces?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z', /`from` is after `to`/],
    ['/api/v1/traces?cursor=not-a-cursor', /cursor/],
    ['/api/v1/traces/not-a-trace-id', /traceId/],
  ])('%s', async (pathAndQuery, field) => {
    const res = await apiGet<ApiError>(server.url, pathAndQuery, TEST_API_KEY)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('bad_request')
    expect(res.body.error.message).toMatch(field)
  })
})

describe('partial success', () => {
  it('rejects only the span with an all-zero span id (JSON)', async () => {
    const traceId = hex(16)
    const good = [hex(8), hex(8), hex(8)]
    const body = batch([
      { traceId, spanId: good[0] },
      { traceId, spanId: '0000000000000000' },
      { traceId, spanId: good[1] },
      { traceId, spanId: good[2] },
    ])
    const res = await postOtlp(server.url, body, jsonHeaders())
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(JSON_CT)
    const answer = JSON.parse(res.body.toString('utf8')) as {
      partialSuccess: { rejectedSpans: string | number; errorMessage: string }
    }
    expect(Number(answer.partialSuccess.rejectedSpans)).toBe(1)
    expect(answer.partialSuccess.errorMessage).toMatch(/span id is all zeros/)
    await server.drain()
    const detail = await apiGet<{ spans: Array<{ spanId: string }> }>(
      server.url,
      `/api/v1/traces/${traceId}`,
      TEST_API_KEY,
    )
    expect(detail.body.spans.map((s) => s.spanId).sort()).toEqual([...good].sort())
  })

  it('reports the rejection in a protobuf ExportTraceServiceResponse', async () => {
    const { ExportTraceServiceRequest } = await import('../../src/otlp/otlp-proto.js')
    const traceId = hex(16)
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(traceId, 'hex'),
                  spanId: Buffer.from(hex(8), 'hex'),
                  name: 'ok',
                  startTimeUnixNano: Date.now() * 1e6,
                  endTimeUnixNano: Date.now() * 1e6 + 1e6,
                },
                {
                  traceId: Buffer.from(traceId, 'hex'),
                  spanId: Buffer.alloc(8),
                  name: 'zero',
                  startTimeUnixNano: Date.now() * 1e6,
                  endTimeUnixNano: Date.now() * 1e6 + 1e6,
                },
              ],
            },
          ],
        },
      ],
    })
    const res = await postOtlp(server.url, ExportTraceServiceRequest.encode(message).finish(), {
      'Content-Type': PB_CT,
      ...server.authHeaders,
    })
    expect(res.status).toBe(200)
    expect(res.contentType).toBe(PB_CT)
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res.body), {
      longs: Number,
    }) as {
      partialSuccess?: { rejectedSpans?: number; errorMessage?: string }
    }
    expect(decoded.partialSuccess?.rejectedSpans).toBe(1)
    await server.drain()
    expect(
      (await apiGet<{ spans: unknown[] }>(server.url, `/api/v1/traces/${traceId}`, TEST_API_KEY)).body.spans,
    ).toHaveLength(1)
  })
})

/** Streams `totalBytes` of zeros, gzip-compressed on the fly, and stops writing once answered. */
function postGzipStream(
  totalBytes: number,
): Promise<{ status: number; text: string; ms: number; bytesProduced: number }> {
  const started = Date.now()
  let produced = 0
  let answered = false
  const chunk = Buffer.alloc(64 * 1024)
  const zeros = new Readable({
    read() {
      if (answered || produced >= totalBytes) return void this.push(null)
      produced += chunk.length
      this.push(chunk)
    },
  })
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': JSON_CT, 'Content-Encoding': 'gzip', ...server.authHeaders },
    })
    req.on('response', (res) => {
      answered = true
      const parts: Buffer[] = []
      res.on('data', (b: Buffer) => parts.push(b))
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(parts).toString('utf8'),
          ms: Date.now() - started,
          bytesProduced: produced,
        })
        req.destroy()
      })
    })
    // The server may close the socket while we are still writing; the answer is what counts.
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    zeros.pipe(createGzip()).pipe(req)
  })
}

describe('size limits (counted after decompression)', () => {
  it('413 for a plain body over the limit', async () => {
    const res = await postOtlp(server.url, Buffer.alloc(MAX_BODY + 1, 0x20), jsonHeaders())
    expect(res.status).toBe(413)
    expect(jsonStatus(res)).toEqual({ code: 8, message: `Request body exceeds ${MAX_BODY} bytes` })
  })

  it('413 for a small gzip body that inflates past the limit', async () => {
    const body = gzipSync(Buffer.alloc(MAX_BODY * 4, 0x20))
    expect(body.length).toBeLessThan(MAX_BODY)
    const res = await postOtlp(server.url, body, jsonHeaders({ 'Content-Encoding': 'gzip' }))
    expect(res.status).toBe(413)
    expect(jsonStatus(res).message).toMatch(/exceeds \d+ bytes after decompression/)
  })

  it('accepts a gzip body just under the limit after decompression', async () => {
    const spans = batch([{}])
    const padded = spans.slice(0, -1) + ' '.repeat(MAX_BODY - spans.length - 1) + '}'
    expect(padded.length).toBe(MAX_BODY - 1)
    const res = await postOtlp(server.url, gzipSync(Buffer.from(padded)), jsonHeaders({ 'Content-Encoding': 'gzip' }))
    expect(res.status).toBe(200)
    await server.drain()
  })

  it('answers a 200 MB gzip bomb with 413 quickly, without buffering it', async () => {
    const rssBefore = process.memoryUsage().rss
    const res = await postGzipStream(200 * 1024 * 1024)
    const rssGrowth = process.memoryUsage().rss - rssBefore
    expect(res.status).toBe(413)
    expect(res.text).toMatch(/after decompression/)
    expect(res.ms).toBeLessThan(5_000)
    // The server stopped reading long before the client produced the 200 MB.
    expect(res.bytesProduced).toBeLessThan(100 * 1024 * 1024)
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024)
  })
})

describe('overload (the spool is full) → 503 + Retry-After, never 500', () => {
  it('refuses a batch while the spool holds more than SPOOL_MAX_BYTES, then accepts again', async () => {
    const first = await postOtlp(server.url, batch(), jsonHeaders())
    expect(first.status).toBe(200)
    // The first batch sits in the open segment (long segment age), so the spool is over its 1 byte.
    const second = await postOtlp(server.url, batch(), jsonHeaders())
    expect(second.status).toBe(503)
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(jsonStatus(second)).toEqual({ code: 14, message: expect.stringMatching(/spool is full/) })
    const pb = await postCorpusFile(
      server.url,
      'otel-js-exporter-otlp-proto-0.223.1__basic-genai-semconv.otlp.pb',
      TEST_API_KEY,
    )
    expect(pb.status).toBe(503)
    expect(pb.contentType).toBe(PB_CT)
    expect((RpcStatus.toObject(RpcStatus.decode(pb.body)) as { code: number }).code).toBe(14)
    await server.drain()
    expect((await postOtlp(server.url, batch(), jsonHeaders())).status).toBe(200)
    await server.drain()
  })

  it('with the store down: readyz is not ready, and ingest answers 503 + Retry-After', async () => {
    coldKey = (await server.deps.projects.createProject('cold key')).apiKey
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    storeClosed = true
    await server.deps.store.close()

    // Acknowledged into the spool; the loader then fails to insert it.
    const accepted = await postOtlp(server.url, batch(), jsonHeaders())
    expect(accepted.status).toBe(200)
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(503)
    expect(((await ready.json()) as { status: string }).status).not.toBe('ready')
    // Seal the open segment so that the loader tries (and fails) to insert it; this drain never ends.
    void server.drain().catch(() => undefined)
    await waitFor(
      'the loader to report failing inserts',
      async () => (server.deps.writer.isHealthy ? undefined : true),
      5_000,
    )
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503)

    const refused = await postOtlp(server.url, batch(), jsonHeaders())
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)

    // The query API fails too, but it must not leak internals.
    const list = await apiGet<ApiError>(server.url, '/api/v1/traces', TEST_API_KEY)
    expect(list.status).toBeGreaterThanOrEqual(500)
    expect(JSON.stringify(list.body)).not.toMatch(/chdb|stack|at /i)
  })

  it('with the store down, a key that is not in the auth cache gets 503 + Retry-After, never 500', async () => {
    // Authenticating this key needs the (dead) store. A 500 makes OTLP exporters drop the batch.
    expect(storeClosed).toBe(true)
    const cold = await postOtlp(server.url, batch(), { 'Content-Type': JSON_CT, ...authFor(coldKey) })
    expect(cold.status).not.toBe(500)
    expect(cold.status).toBe(503)
    expect(cold.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})
