/**
 * OTLP/gRPC end to end: the real `@opentelemetry/exporter-trace-otlp-grpc` (plain and gzip, the key
 * in metadata) into the real server, read back through the query API; then the refusals an exporter
 * acts on (UNAUTHENTICATED, partial success, UNAVAILABLE + RetryInfo, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED), sent with a bare client where no exporter would send such a request.
 *
 * As in bad-input.int.test.ts, the spool holds 1 byte and segments never age out: a batch stays in
 * the open spool until drained, so a second request before a drain finds the spool full. Every test
 * ends drained.
 */
import { randomBytes } from 'node:crypto'
import { Metadata, status, type ServiceError } from '@grpc/grpc-js'
import { diag, DiagLogLevel } from '@opentelemetry/api'
import { ExportResultCode } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportTraceServiceRequest, RpcRetryInfo, RpcStatus } from '../../src/otlp/otlp-proto.js'
import { freePort, startTestServer, TEST_API_KEY, type TestServer } from '../helpers/server.js'
import { startByteCounter } from './byte-counter.js'
import { expectStoredOnce, genAiRunOptions } from './expect-genai-run.js'
import { recordGenAiRun } from './genai-run.js'
import { LOGS_EXPORT, METRICS_EXPORT, rawExport, TRACE_EXPORT } from './grpc-client.js'
import { pipelineFor } from './pipeline.js'
import { getTrace, listTraces, waitForTrace } from './query.js'

const MAX_BODY = 1024 * 1024
let server: TestServer
let grpcPort: number
let stopped = false

beforeAll(async () => {
  const port = await freePort()
  server = await startTestServer({
    SIGHTLINE_GRPC_PORT: String(port),
    INGEST_MAX_BODY_BYTES: String(MAX_BODY),
    SPOOL_MAX_BYTES: '1',
    SPOOL_SEGMENT_MAX_AGE_MS: '600000',
  })
  expect(server.grpcPort).toBe(port)
  grpcPort = port
})
afterAll(async () => {
  if (!stopped) await server?.stop()
})

type Auth = 'bearer' | 'x-api-key' | 'basic' | 'none'
type GrpcConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>

function authMetadata(auth: Auth, key: string): Metadata {
  const metadata = new Metadata()
  if (auth === 'bearer') metadata.set('authorization', `Bearer ${key}`)
  if (auth === 'x-api-key') metadata.set('x-api-key', key)
  // The Langfuse convention: public key as user, our key as password.
  if (auth === 'basic') metadata.set('authorization', `Basic ${Buffer.from(`pk-lf-public:${key}`).toString('base64')}`)
  return metadata
}

function grpcExporter(port: number, metadata: Metadata, gzip: boolean): OTLPTraceExporter {
  const config: GrpcConfig = { url: `http://127.0.0.1:${port}`, metadata, timeoutMillis: 15_000 }
  return new OTLPTraceExporter(gzip ? { ...config, compression: 'gzip' as GrpcConfig['compression'] } : config)
}

interface RunSetup {
  port?: number
  auth?: Auth
  key?: string
  gzip?: boolean
  resourceAttributes?: Record<string, string>
  /** Changes spans between the SDK and the real exporter. */
  rewrite?: (span: ReadableSpan) => ReadableSpan
}

/** One GenAI run through a fresh SDK pipeline with the real OTLP/gRPC exporter. */
async function exportRun(label: string, setup: RunSetup = {}) {
  const options = genAiRunOptions(label)
  const inner = grpcExporter(
    setup.port ?? grpcPort,
    authMetadata(setup.auth ?? 'bearer', setup.key ?? TEST_API_KEY),
    setup.gzip ?? false,
  )
  const rewrite = setup.rewrite
  const exporter: SpanExporter = rewrite
    ? {
        export: (spans, done) => inner.export(spans.map(rewrite), done),
        shutdown: () => inner.shutdown(),
        forceFlush: () => inner.forceFlush(),
      }
    : inner
  const pipeline = pipelineFor(exporter, { serviceName: `svc-${label}`, resourceAttributes: setup.resourceAttributes })
  try {
    const run = recordGenAiRun(pipeline.provider.getTracer('grpc-test'), options)
    await pipeline.flush().catch(() => undefined)
    return { run, options, results: pipeline.exporter.results }
  } finally {
    await pipeline.shutdown()
  }
}

async function rejectionCount(reason: string): Promise<number> {
  const { values } = await server.deps.metrics.requestsRejected.get()
  return values.find((v) => v.labels.reason === reason && v.labels.transport === 'grpc')?.value ?? 0
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

/** An ExportTraceServiceRequest with one span per id, encoded as an exporter would. */
function traceRequest(traceId: string, spanIds: Buffer[]): Buffer {
  const now = Date.now() * 1e6
  const spans = spanIds.map((spanId, i) => ({
    traceId: Buffer.from(traceId, 'hex'),
    spanId,
    name: `span-${i}`,
    startTimeUnixNano: now,
    endTimeUnixNano: now + 1e6,
  }))
  return Buffer.from(
    ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
    ).finish(),
  )
}

describe('the real OTLP/gRPC exporter', () => {
  it('gRPC listens next to HTTP (two TCP listeners in this process)', () => {
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap')).toHaveLength(2)
  })

  it.each([
    { auth: 'bearer', gzip: false },
    { auth: 'x-api-key', gzip: true },
    { auth: 'basic', gzip: true },
  ] as const)(
    '$auth key, gzip: $gzip → every GenAI span stored once, readable through the API',
    async ({ auth, gzip }) => {
      const label = `grpc-${auth}${gzip ? '-gz' : ''}`
      // 200 kB of one letter in every request: far smaller on the wire only if gzip was really used.
      const padding = 'a'.repeat(200_000)
      const counter = await startByteCounter(grpcPort)
      const { run, options, results } = await exportRun(label, {
        port: counter.port,
        auth,
        gzip,
        resourceAttributes: { 'test.padding': padding },
      }).finally(() => counter.close())
      expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS])
      if (gzip) expect(counter.bytesIn()).toBeLessThan(20_000)
      else expect(counter.bytesIn()).toBeGreaterThan(200_000)

      const detail = await waitForTrace(server, run.traceId, 4)
      expectStoredOnce(detail, run, options, label)
      const rows = (await listTraces(server)).traces.filter((t) => t.traceId === run.traceId)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ spanCount: 4, llmCallCount: 2, toolCallCount: 1 })
    },
  )

  it.each([
    { name: 'an unknown key', auth: 'bearer', key: 'sl_not_a_key_of_any_project' },
    { name: 'no key', auth: 'none', key: '' },
  ] as const)('$name → UNAUTHENTICATED, and nothing is stored', async ({ auth, key }) => {
    const before = await rejectionCount('unauthorized')
    const { run, results } = await exportRun(`unauth-${auth}`, { auth, key })
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.FAILED])
    expect((results[0]?.error as ServiceError).code).toBe(status.UNAUTHENTICATED)
    expect(await rejectionCount('unauthorized')).toBe(before + 1)
    await server.drain()
    expect(await getTrace(server, run.traceId)).toBeUndefined()
  })

  it('partial success: one span with an all-zero id is refused and counted, the rest are stored', async () => {
    const warnings: string[] = []
    const record = (...args: unknown[]) => warnings.push(args.map(String).join(' '))
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    )
    const zeroTool = (span: ReadableSpan): ReadableSpan => {
      if (!span.name.startsWith('execute_tool')) return span
      const zeroed = { ...span.spanContext(), spanId: '0'.repeat(16) }
      return { ...spreadSpan(span), spanContext: () => zeroed }
    }
    try {
      const { run, results } = await exportRun('grpc-partial', { rewrite: zeroTool })
      // The exporter treats partial success as success and reports the server's counts through diag.
      expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS])
      expect(warnings.join('\n')).toMatch(/Partial Success.*"rejectedSpans":"?1"?.*span id is all zeros/)
      const detail = await waitForTrace(server, run.traceId, 3)
      expect(detail.spans.map((s) => s.spanId).sort()).toEqual(
        [run.spanIds.agent, run.spanIds.chat1, run.spanIds.chat2].sort(),
      )
    } finally {
      diag.disable()
    }
  })
})

/** A ReadableSpan's fields as a plain object (the SDK's spans keep them behind getters). */
function spreadSpan(span: ReadableSpan): ReadableSpan {
  const {
    name,
    kind,
    spanContext,
    parentSpanContext,
    startTime,
    endTime,
    status,
    attributes,
    links,
    events,
    duration,
    ended,
  } = span
  const { resource, instrumentationScope, droppedAttributesCount, droppedEventsCount, droppedLinksCount } = span
  return {
    name,
    kind,
    spanContext: () => spanContext.call(span),
    parentSpanContext,
    startTime,
    endTime,
    status,
    attributes,
    links,
    events,
    duration,
    ended,
    resource,
    instrumentationScope,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  }
}

describe('refusals a bare client sees', () => {
  it('malformed protobuf → INVALID_ARGUMENT saying why', async () => {
    const before = await rejectionCount('malformed')
    const { error } = await rawExport(
      grpcPort,
      TRACE_EXPORT,
      Buffer.from('this is not a protobuf message at all \xff\xff\xff'),
      { apiKey: TEST_API_KEY },
    )
    expect(error?.code).toBe(status.INVALID_ARGUMENT)
    expect(error?.details).toMatch(/Malformed protobuf ExportTraceServiceRequest/)
    expect(await rejectionCount('malformed')).toBe(before + 1)
  })

  it('spool full → UNAVAILABLE + google.rpc.RetryInfo in grpc-status-details-bin; accepted once drained', async () => {
    const [first, refused, later] = [hex(16), hex(16), hex(16)]
    const ok = await rawExport(grpcPort, TRACE_EXPORT, traceRequest(first, [randomBytes(8)]), { apiKey: TEST_API_KEY })
    expect(ok.error).toBeNull()
    // The first batch sits in the open segment, so the 1-byte spool is full.
    const { error } = await rawExport(grpcPort, TRACE_EXPORT, traceRequest(refused, [randomBytes(8)]), {
      apiKey: TEST_API_KEY,
    })
    expect(error?.code).toBe(status.UNAVAILABLE)
    expect(error?.details).toMatch(/spool is full/)
    const [detailsBin] = error?.metadata.get('grpc-status-details-bin') ?? []
    expect(Buffer.isBuffer(detailsBin)).toBe(true)
    const rpcStatus = RpcStatus.toObject(RpcStatus.decode(detailsBin as Buffer), { longs: Number }) as {
      code: number
      details: Array<{ typeUrl: string; value: Uint8Array }>
    }
    expect(rpcStatus.code).toBe(status.UNAVAILABLE)
    expect(rpcStatus.details.map((d) => d.typeUrl)).toEqual(['type.googleapis.com/google.rpc.RetryInfo'])
    const retryInfo = RpcRetryInfo.toObject(RpcRetryInfo.decode(rpcStatus.details[0]!.value), {
      longs: Number,
      defaults: true,
    })
    expect(retryInfo).toEqual({ retryDelay: { seconds: 1, nanos: 0 } })

    await server.drain()
    expect(
      (await rawExport(grpcPort, TRACE_EXPORT, traceRequest(later, [randomBytes(8)]), { apiKey: TEST_API_KEY })).error,
    ).toBeNull()
    await server.drain()
    expect(await getTrace(server, first)).toBeDefined()
    expect(await getTrace(server, refused)).toBeUndefined()
    expect(await getTrace(server, later)).toBeDefined()
  })

  it.each([false, true])(
    'a message over INGEST_MAX_BODY_BYTES after decompression (gzip: %s) → RESOURCE_EXHAUSTED, no retry hint',
    async (gzip) => {
      // With gzip, 1 MiB + 1 kB of zeros is about 1 kB on the wire: the limit counts decompressed bytes.
      const { error } = await rawExport(grpcPort, TRACE_EXPORT, Buffer.alloc(MAX_BODY + 1024), {
        apiKey: TEST_API_KEY,
        gzip,
      })
      expect(error?.code).toBe(status.RESOURCE_EXHAUSTED)
      expect(error?.metadata.get('grpc-status-details-bin')).toEqual([])
    },
  )

  // Logs are read for evaluation results (scores), so they take the project's key like traces.
  it.each([LOGS_EXPORT, METRICS_EXPORT])('%s answers success (not stored, as on OTLP/HTTP)', async (path) => {
    const { error, response } = await rawExport(grpcPort, path, Buffer.from([0x0a, 0x00]), { apiKey: TEST_API_KEY })
    expect(error).toBeNull()
    expect(response).toEqual(Buffer.alloc(0))
  })

  it('stop() closes the gRPC listener with the HTTP one', async () => {
    stopped = true
    await server.stop()
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap')).toHaveLength(0)
    const { error } = await rawExport(grpcPort, TRACE_EXPORT, traceRequest(hex(16), [randomBytes(8)]), {
      apiKey: TEST_API_KEY,
    })
    expect(error?.code).toBe(status.UNAVAILABLE)
  })
})
