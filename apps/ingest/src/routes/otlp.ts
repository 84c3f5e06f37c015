import { Hono, type Context } from 'hono'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { extractApiKey, resolveProject } from '../middleware/auth.js'
import { parseOtlpContentType } from '../otlp/content-type.js'
import { OtlpDecodeError, type OtlpEncoding } from '../otlp/decode.js'
import { encodeExportResponse, encodeStatus, GrpcCode, type EncodedBody, type GrpcCodeNumber } from '../otlp/encode-response.js'
import { prepareBody, type PrepareOptions } from '../otlp/prepare-body.js'
import { isCheapToDecode } from '../otlp/decode-cost.js'
import type { LargeBody } from '../otlp/decode-pool.js'
import { BodyError, receiveBody } from '../otlp/read-body.js'

/** OTLP/HTTP paths real SDKs use: the spec's, and the Langfuse SDK's (Basic auth). */
export const TRACE_PATHS = ['/v1/traces', '/api/public/otel/v1/traces'] as const

const GRPC_FOR_STATUS: Record<number, GrpcCodeNumber> = {
  400: GrpcCode.INVALID_ARGUMENT,
  401: GrpcCode.UNAUTHENTICATED,
  413: GrpcCode.RESOURCE_EXHAUSTED,
  415: GrpcCode.INVALID_ARGUMENT,
  429: GrpcCode.RESOURCE_EXHAUSTED,
  503: GrpcCode.UNAVAILABLE,
}

/**
 * POST /v1/traces. Every answer is in the request's encoding (a protobuf exporter cannot read a
 * JSON body). A span is acknowledged only once it is fsynced in the spool. Overload is 503 with
 * Retry-After (exporters retry it), never 500 (exporters drop the batch).
 */
export function otlpRoutes(deps: Deps): Hono {
  const app = new Hono()
  for (const path of TRACE_PATHS) {
    app.post(path, (c) => handleTraces(c, deps))
    app.all(path, (c) => c.json({ code: GrpcCode.INVALID_ARGUMENT, message: `${c.req.method} is not allowed; use POST` }, 405, { Allow: 'POST' }))
  }
  // Mastra and others also export logs and metrics to the same base URL; we do not store them,
  // but a 404 would make those exporters log errors forever.
  for (const path of ['/v1/logs', '/v1/metrics', '/api/public/otel/v1/logs', '/api/public/otel/v1/metrics']) {
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
    deps.metrics.requestsRejected.inc({ reason: 'unsupported_media_type' })
    const message = `Unsupported Content-Type "${c.req.header('content-type') ?? ''}": send application/json or application/x-protobuf`
    return send(c, 415, encodeStatus('json', { code: GrpcCode.INVALID_ARGUMENT, message }))
  }
  try {
    const projectId = await resolveProject(deps.projects, extractApiKey(c.req.raw.headers))
    deps.writer.assertAccepting()
    const body = await receiveBody(c.req.raw.body, {
      contentEncoding: c.req.header('content-encoding'),
      maxBytes: deps.env.INGEST_MAX_BODY_BYTES,
      localBytes: deps.env.INGEST_DECODE_WORKER_MIN_BYTES,
      openLarge: (coding) => deps.decodePool.open(coding, deps.env.INGEST_MAX_BODY_BYTES),
    })
    const options = prepareOptions(deps, projectId)
    const { batch, accepted, rejected } =
      body.small && isCheapToDecode(body.small, encoding)
        ? prepareBatch(deps, body.small, encoding, options)
        : await prepareInWorker(deps, body.large ?? toWorker(deps, body.small), encoding, options)
    await deps.writer.append(batch)
    deps.metrics.spansAccepted.inc(accepted)
    deps.metrics.ackSeconds.observe((performance.now() - started) / 1000)
    if (rejected.count > 0) deps.metrics.spansRejected.inc({ reason: 'invalid_span' }, rejected.count)
    const partial = rejected.count > 0 ? { rejectedSpans: rejected.count, errorMessage: rejected.messages.join('; ') } : undefined
    return send(c, 200, encodeExportResponse(encoding, partial))
  } catch (error) {
    return answerError(c, deps, encoding, error)
  }
}

function prepareOptions(deps: Deps, projectId: string): PrepareOptions {
  const { env } = deps
  return {
    projectId,
    maxAttributeValueBytes: env.INGEST_MAX_ATTRIBUTE_BYTES,
    limits: { maxEventsPerSpan: env.INGEST_MAX_EVENTS_PER_SPAN, maxLinksPerSpan: env.INGEST_MAX_LINKS_PER_SPAN, maxAttributesPerSpan: env.INGEST_MAX_ATTRIBUTES_PER_SPAN },
  }
}

/**
 * Decode → normalise → price → encode, synchronously: the decoded request and its rows die here,
 * young, instead of living across the spool's fsync (see SpanWriter.prepare). Only for bodies small
 * enough that even a hostile one holds the event loop briefly: under INGEST_DECODE_WORKER_MIN_BYTES
 * and under MAX_EVENT_LOOP_OBJECTS.
 */
function prepareBatch(deps: Deps, body: Uint8Array, encoding: OtlpEncoding, options: PrepareOptions) {
  const { rows, rejected } = prepareBody(body, encoding, options)
  return { batch: deps.writer.prepare(rows), accepted: rows.length, rejected }
}

/** A small body of many tiny objects (see decode-cost.ts), already decompressed. */
function toWorker(deps: Deps, body: Uint8Array): LargeBody {
  const large = deps.decodePool.open('identity', deps.env.INGEST_MAX_BODY_BYTES)
  large.write(body)
  return large
}

/** The same in a decode worker: the event loop only drops retries from the encoded lines. */
async function prepareInWorker(deps: Deps, body: LargeBody, encoding: OtlpEncoding, options: PrepareOptions) {
  const { encoded, rejected } = await body.finish(encoding, options)
  return { batch: deps.writer.prepareEncoded(encoded), accepted: encoded.keys.length, rejected }
}

function answerError(c: Context, deps: Deps, encoding: OtlpEncoding, error: unknown): Response {
  let status = 500
  let message = 'Internal error while ingesting; the batch was not stored.'
  let reason = 'internal'
  const headers: Record<string, string> = {}
  if (error instanceof BodyError) {
    ;[status, message, reason] = [error.status, error.message, error.status === 413 ? 'too_large' : 'bad_body']
  } else if (error instanceof OtlpDecodeError) {
    ;[status, message, reason] = [400, error.message, 'malformed']
  } else if (error instanceof AppError) {
    ;[status, message, reason] = [error.status, error.message, error.code]
    if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds)
  } else {
    deps.logger.error('ingest failed', { err: error })
  }
  deps.metrics.requestsRejected.inc({ reason })
  const code = GRPC_FOR_STATUS[status] ?? GrpcCode.INTERNAL
  return send(c, status, encodeStatus(encoding, { code, message }), headers)
}

function send(c: Context, status: number, encoded: EncodedBody, headers: Record<string, string> = {}): Response {
  return new Response(encoded.body as ConstructorParameters<typeof Response>[0], { status, headers: { 'Content-Type': encoded.contentType, ...headers } })
}
