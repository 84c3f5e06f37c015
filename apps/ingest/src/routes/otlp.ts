import { Hono, type Context } from 'hono'
import type { Deps } from '../deps.js'
import { describeIngestFailure, ingestTraces } from '../ingest/ingest-batch.js'
import { extractApiKey } from '../middleware/auth.js'
import { parseOtlpContentType } from '../otlp/content-type.js'
import {
  encodeExportResponse,
  encodeLogsExportResponse,
  encodeStatus,
  GrpcCode,
  type EncodedBody,
} from '../otlp/encode-response.js'
import { isNodeReadable } from '../otlp/node-body-reader.js'
import { readBody, receiveBody, type BodyStream } from '../otlp/read-body.js'

/** OTLP/HTTP paths real SDKs use: the spec's, and the Langfuse SDK's (Basic auth). */
const TRACE_PATHS = ['/v1/traces', '/api/public/otel/v1/traces'] as const

/**
 * POST /v1/traces. Every answer is in the request's encoding (a protobuf exporter cannot read a
 * JSON body). A span is acknowledged only once it is fsynced in the spool. Overload is 503 with
 * Retry-After (exporters retry it), never 500 (exporters drop the batch).
 */
export function otlpRoutes(deps: Deps): Hono {
  const app = new Hono()
  for (const path of TRACE_PATHS) {
    app.post(path, (c) => handleTraces(c, deps))
    app.all(path, (c) =>
      c.json({ code: GrpcCode.INVALID_ARGUMENT, message: `${c.req.method} is not allowed; use POST` }, 405, {
        Allow: 'POST',
      }),
    )
  }
  // Log records carrying `gen_ai.evaluation.result` become scores; other records are not stored.
  for (const path of ['/v1/logs', '/api/public/otel/v1/logs']) app.post(path, (c) => handleLogs(c, deps))
  // Mastra and others also export metrics to the same base URL; we do not store them, but a 404
  // would make those exporters log errors forever.
  for (const path of ['/v1/metrics', '/api/public/otel/v1/metrics']) {
    app.post(path, (c) => {
      const encoding = parseOtlpContentType(c.req.header('content-type')) ?? 'json'
      return send(c, 200, encodeExportResponse(encoding))
    })
  }
  return app
}

async function handleTraces(c: Context, deps: Deps): Promise<Response> {
  const started = performance.now()
  const encoding = parseOtlpContentType(c.req.header('content-type'))
  if (!encoding) {
    deps.metrics.requestsRejected.inc({ reason: 'unsupported_media_type', transport: 'http' })
    const message =
      `Unsupported Content-Type "${c.req.header('content-type') ?? ''}": ` +
      `send application/json or application/x-protobuf`
    return send(c, 415, encodeStatus('json', { code: GrpcCode.INVALID_ARGUMENT, message }))
  }
  try {
    const { env } = deps
    const partial = await ingestTraces(deps, {
      transport: 'http',
      apiKey: extractApiKey(c.req.raw.headers),
      encoding,
      started,
      receive: () =>
        receiveBody(requestBody(c), {
          contentEncoding: c.req.header('content-encoding'),
          maxBytes: env.INGEST_MAX_BODY_BYTES,
          localBytes: env.INGEST_DECODE_WORKER_MIN_BYTES,
          openLarge: (coding) => deps.decodePool.open(coding, env.INGEST_MAX_BODY_BYTES),
        }),
    })
    return send(c, 200, encodeExportResponse(encoding, partial))
  } catch (error) {
    const failure = describeIngestFailure(deps, 'http', error)
    const headers: Record<string, string> =
      failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) }
    return send(c, failure.status, encodeStatus(encoding, { code: failure.code, message: failure.message }), headers)
  }
}

async function handleLogs(c: Context, deps: Deps): Promise<Response> {
  const encoding = parseOtlpContentType(c.req.header('content-type'))
  if (!encoding) {
    const message =
      `Unsupported Content-Type "${c.req.header('content-type') ?? ''}": ` +
      `send application/json or application/x-protobuf`
    return send(c, 415, encodeStatus('json', { code: GrpcCode.INVALID_ARGUMENT, message }))
  }
  try {
    const partial = await deps.evaluationLogs.export({
      apiKey: extractApiKey(c.req.raw.headers),
      encoding,
      readBody: () => readLogsBody(c, deps),
    })
    return send(c, 200, encodeLogsExportResponse(encoding, partial))
  } catch (error) {
    const failure = describeIngestFailure(deps, 'http', error)
    const headers: Record<string, string> =
      failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) }
    return send(c, failure.status, encodeStatus(encoding, { code: failure.code, message: failure.message }), headers)
  }
}

/**
 * Only evaluation results are read from logs, so a logs body is never worth a decode worker: it is
 * inflated and decoded on the event loop, hence the smaller limit (EvaluationLogIngest also refuses
 * one of too many objects). Past it, 413: refused whole, never acknowledged and then dropped.
 */
const MAX_LOGS_BODY_BYTES = 1024 * 1024

function readLogsBody(c: Context, deps: Deps): Promise<Uint8Array> {
  const maxBytes = Math.min(MAX_LOGS_BODY_BYTES, deps.env.INGEST_MAX_BODY_BYTES)
  return readBody(requestBody(c), { contentEncoding: c.req.header('content-encoding'), maxBytes })
}

/**
 * Under @hono/node-server the body is read from Node's request itself: `c.req.raw.body` would first
 * build a WHATWG Request and web streams around it (see node-body-reader.ts). `app.request()` in
 * tests has no Node request, and reads the web stream.
 */
function requestBody(c: Context): BodyStream | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming
  return isNodeReadable(incoming) ? incoming : c.req.raw.body
}

function send(c: Context, status: number, encoded: EncodedBody, headers: Record<string, string> = {}): Response {
  return new Response(encoded.body as ConstructorParameters<typeof Response>[0], {
    status,
    headers: { 'Content-Type': encoded.contentType, ...headers },
  })
}
