/**
 * Acceptance over the real captured corpus, end to end through HTTP: every capture and edge case is
 * POSTed as its exporter sent it, answered in its own encoding, and what the query API serves back
 * matches EXPECTED.json (spans, traces, agents, model calls, tokens without double counting, tools,
 * session and user ids). Each file goes to its own project, since the JSON and protobuf captures of
 * one scenario share trace ids.
 */
import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportTraceServiceResponse, RpcStatus } from '../../src/otlp/otlp-proto.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { distinct, encodingOf, postCorpusFile, readProject, sumOf, type PostResult } from './helpers.js'
import { corpusFileNames, EDGE_DIR, expectedCorpus, expectedTools, idPart, readCorpus } from '@sightline/testkit/corpus'

const expected = expectedCorpus
const captures = Object.entries(expected.files)

let server: TestServer
const newProject = (name: string) => server.deps.projects.createProject(name)

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

/** The response is in the request's encoding and is a valid success message. */
function expectSuccessBody(res: PostResult, requestContentType: string): Record<string, unknown> {
  expect(res.status).toBe(200)
  expect(res.contentType).toBe(requestContentType)
  if (requestContentType === 'application/json') return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>
  return ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res.body)) as Record<string, unknown>
}

describe('corpus captures', () => {
  it('EXPECTED.json covers every capture in the folder', () => {
    const onDisk = corpusFileNames()
    expect(captures.map(([name]) => name).sort()).toEqual(onDisk.sort())
  })

  describe.each(captures)('%s', (file, want) => {
    it('is accepted in its encoding and read back as EXPECTED.json says', async () => {
      const { apiKey } = await newProject(`corpus ${file}`)
      const res = await postCorpusFile(server.url, file, apiKey)
      // Whole batch accepted: no partialSuccess (an empty JSON object, or an empty protobuf message).
      expect(expectSuccessBody(res, encodingOf(file).contentType)).toEqual({})
      await server.drain()

      const { traces, spans } = await readProject(server.url, apiKey)
      expect(spans).toHaveLength(want.auto_spans)
      expect(sumOf(traces, (t) => t.spanCount)).toBe(want.auto_spans)
      expect(traces).toHaveLength(want.auto_traces)
      expect(distinct(spans.map((s) => s.agentName))).toEqual([...(want.agents ?? want.functionIds ?? [])].sort())

      expect(sumOf(traces, (t) => t.llmCallCount)).toBe(want.model_calls)
      expect(sumOf(traces, (t) => t.inputTokens)).toBe(want.input_tokens)
      expect(sumOf(traces, (t) => t.outputTokens)).toBe(want.output_tokens)
      expect(sumOf(traces, (t) => t.cachedInputTokens)).toBe(want.cached_input_tokens ?? 0)
      expect(sumOf(traces, (t) => t.reasoningTokens)).toBe(want.reasoning_tokens ?? 0)

      const tools = spans
        .filter((s) => s.kind === 'tool')
        .sort((a, b) => a.startTime.localeCompare(b.startTime))
        .map((s) => ({ name: s.toolName, id: s.toolCallId || null, error: s.status === 'error' }))
      expect(tools).toEqual(expectedTools(file, want))
      expect(sumOf(traces, (t) => t.toolCallCount)).toBe(want.tools.length)
      expect(sumOf(traces, (t) => t.toolErrorCount)).toBe(want.tools.filter((t) => t.error).length)

      if (want.session_id !== undefined) {
        expect(distinct(spans.map((s) => s.sessionId))).toEqual([idPart(want.session_id)])
        expect(distinct(traces.map((t) => t.sessionId))).toEqual([idPart(want.session_id)])
      }
      if (want.user_id !== undefined) {
        expect(distinct(spans.map((s) => s.userId))).toEqual([idPart(want.user_id)])
        expect(distinct(traces.map((t) => t.userId))).toEqual([idPart(want.user_id)])
      }
    })
  })
})

describe('edge cases (MANIFEST.md)', () => {
  const cases: Array<[file: string, statuses: number[], spans: number, why?: RegExp]> = [
    ['empty-request.otlp.json', [200], 0],
    ['empty-request.otlp.pb', [200], 0],
    ['empty-resourceSpans.otlp.json', [200], 0],
    ['int64-as-string.otlp.json', [200], 1],
    ['uppercase-hex-ids.otlp.json', [200], 1],
    ['structured-kvlist-messages.otlp.json', [200], 1],
    ['unknown-fields-ignored.otlp.json', [200], 1],
    ['orphan-parent-and-out-of-order.otlp.json', [200], 2],
    ['INVALID-base64-ids.otlp.json', [400], 0, /hex/i],
    // MANIFEST: "400 or tolerate" (the spec says enum names MUST NOT be used).
    ['INVALID-enum-name-kind.otlp.json', [200, 400], -1, /kind.*enum/i],
  ]

  it('lists every edge-case file', () => {
    const onDisk = fs.readdirSync(EDGE_DIR).filter((name) => name.includes('.otlp.'))
    expect(cases.map(([file]) => file).sort()).toEqual(onDisk.sort())
  })

  describe.each(cases)('%s', (file, statuses, spanCount, why) => {
    const stored = spanCount < 0 ? 'what it accepted' : spanCount
    it(`answers ${statuses.join(' or ')} in the request's encoding and stores ${stored} span(s)`, async () => {
      const { apiKey } = await newProject(`edge ${file}`)
      const { contentType } = encodingOf(file)
      const res = await postCorpusFile(server.url, file, apiKey, EDGE_DIR)
      expect(statuses).toContain(res.status)
      expect(res.contentType).toBe(contentType)
      if (res.status === 200) {
        expect(expectSuccessBody(res, contentType)).toEqual({})
      } else {
        const status = JSON.parse(res.body.toString('utf8')) as { code: number; message: string }
        expect(status.code).toBe(3) // google.rpc.Code INVALID_ARGUMENT
        expect(status.message).toMatch(why ?? /./)
      }
      await server.drain()
      const { spans } = await readProject(server.url, apiKey)
      if (spanCount >= 0) expect(spans).toHaveLength(spanCount)
      if (res.status !== 200) expect(spans).toHaveLength(0)
    })
  })

  it('stores an orphan span and a span that ends before it starts, flagged, not dropped', async () => {
    const { apiKey } = await newProject('orphan')
    expect(
      (await postCorpusFile(server.url, 'orphan-parent-and-out-of-order.otlp.json', apiKey, EDGE_DIR)).status,
    ).toBe(200)
    await server.drain()
    const { traces, spans } = await readProject(server.url, apiKey)
    expect(traces).toHaveLength(1)
    const orphan = spans.find((s) => s.spanId === '0000000000000002')
    const backwards = spans.find((s) => s.spanId === '0000000000000001')
    expect(orphan?.parentSpanId).toBe('00000000000000ff')
    expect(backwards?.flags).toContain('end_before_start')
    expect(backwards?.durationMs).toBe(0)
  })

  it('stores upper-case hex ids lower-cased and finds the trace by either case', async () => {
    const { apiKey } = await newProject('uppercase')
    expect((await postCorpusFile(server.url, 'uppercase-hex-ids.otlp.json', apiKey, EDGE_DIR)).status).toBe(200)
    await server.drain()
    const res = await fetch(`${server.url}/api/v1/traces/5B8EFFF798038103D269B633813FC60C`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { spans: Array<{ traceId: string; spanId: string; parentSpanId: string }> }
    expect(body.spans.map((s) => [s.traceId, s.spanId, s.parentSpanId])).toEqual([
      ['5b8efff798038103d269b633813fc60c', 'eee19b7ec3c1b174', 'eee19b7ec3c1b173'],
    ])
  })
})

describe('transport and retries', () => {
  const file = 'otel-js-exporter-otlp-http-0.223.1__basic-genai-semconv.otlp.json'

  it('accepts a chunked body with no Content-Length (how Node exporters send)', async () => {
    const { apiKey } = await newProject('chunked')
    const body = readCorpus(file)
    const answer = await new Promise<{ status: number; contentType: string; text: string; sentHeaders: string[] }>(
      (resolve, reject) => {
        const req = http.request(`${server.url}/v1/traces`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
        })
        req.on('error', reject)
        req.on('response', (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
              sentHeaders: req.getHeaderNames(),
            }),
          )
        })
        const size = Math.ceil(body.length / 5)
        let offset = 0
        const writeNext = () => {
          if (offset >= body.length) return void req.end()
          req.write(body.subarray(offset, offset + size))
          offset += size
          setTimeout(writeNext, 20)
        }
        writeNext()
      },
    )
    expect(answer.sentHeaders).not.toContain('content-length')
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/json')
    expect(JSON.parse(answer.text)).toEqual({})
    await server.drain()
    expect((await readProject(server.url, apiKey)).spans).toHaveLength(3)
  })

  it('accepts `application/json; charset=utf-8`', async () => {
    const { apiKey } = await newProject('charset')
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      body: readCorpus(file),
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${apiKey}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
  })

  it.each([
    'vercel-ai-sdk-6.0.326__generateText-tools-multistep+streamText.otlp.json',
    'otel-js-exporter-otlp-proto-0.223.1__basic-genai-semconv__gzip.otlp.pb.gz',
  ])('stores %s once when the exporter sends it twice (retry after a time-out)', async (retried) => {
    const want = expected.files[retried]!
    const { apiKey } = await newProject(`dedup ${retried}`)
    expect((await postCorpusFile(server.url, retried, apiKey)).status).toBe(200)
    await server.drain()
    expect((await postCorpusFile(server.url, retried, apiKey)).status).toBe(200)
    await server.drain()
    const { traces, spans } = await readProject(server.url, apiKey)
    expect(spans).toHaveLength(want.auto_spans)
    expect(new Set(spans.map((s) => `${s.traceId}/${s.spanId}`)).size).toBe(want.auto_spans)
    expect(traces).toHaveLength(want.auto_traces)
    expect(sumOf(traces, (t) => t.spanCount)).toBe(want.auto_spans)
    expect(sumOf(traces, (t) => t.llmCallCount)).toBe(want.model_calls)
    expect(sumOf(traces, (t) => t.inputTokens)).toBe(want.input_tokens)
  })

  it('stores a duplicate sent concurrently (both in the same spool segment) once', async () => {
    const want = expected.files[file]!
    const { apiKey } = await newProject('dedup concurrent')
    const answers = await Promise.all([
      postCorpusFile(server.url, file, apiKey),
      postCorpusFile(server.url, file, apiKey),
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    await server.drain()
    const { traces, spans } = await readProject(server.url, apiKey)
    expect(spans).toHaveLength(want.auto_spans)
    expect(sumOf(traces, (t) => t.spanCount)).toBe(want.auto_spans)
  })

  it('joins a child sent first with its parent sent later into one trace', async () => {
    const { apiKey } = await newProject('out of order')
    const parsed = JSON.parse(readCorpus(file).toString('utf8')) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ parentSpanId?: string }> }> }>
    }
    const only = (keepRoot: boolean) => {
      const copy = structuredClone(parsed)
      for (const rs of copy.resourceSpans)
        for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s) => (s.parentSpanId ? !keepRoot : keepRoot))
      return JSON.stringify(copy)
    }
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` }
    const children = await fetch(`${server.url}/v1/traces`, { method: 'POST', body: only(false), headers })
    expect(children.status).toBe(200)
    await server.drain()
    const before = await readProject(server.url, apiKey)
    expect(before.spans.length).toBe(2)
    const root = await fetch(`${server.url}/v1/traces`, { method: 'POST', body: only(true), headers })
    expect(root.status).toBe(200)
    await server.drain()
    const after = await readProject(server.url, apiKey)
    expect(after.traces).toHaveLength(1)
    expect(after.traces[0]?.spanCount).toBe(3)
    // Named after its root agent once the root arrived.
    expect(after.traces[0]?.name).toBe('demo-agent')
  })

  it('decodes a protobuf success as an ExportTraceServiceResponse, and errors as google.rpc.Status', async () => {
    const { apiKey } = await newProject('pb status')
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
      headers: { 'Content-Type': 'application/x-protobuf', Authorization: `Bearer ${apiKey}` },
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/x-protobuf')
    const status = RpcStatus.toObject(RpcStatus.decode(Buffer.from(await res.arrayBuffer()))) as {
      code: number
      message: string
    }
    expect(status.code).toBe(3)
    expect(status.message.length).toBeGreaterThan(0)
  })
})
