/**
 * One OTLP trace export, whatever carried it (OTLP/HTTP or OTLP/gRPC): key → project, room in the
 * spool, body, then decode → normalise → price → storability gate → spool. Both transports call this, so a span means
 * the same thing and is acknowledged under the same guarantee (fsynced) whichever way it came.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { resolveProject } from '../middleware/auth.js'
import { OtlpDecodeError, type OtlpEncoding } from '../otlp/decode.js'
import { GrpcCode, type GrpcCodeNumber, type PartialSuccess } from '../otlp/encode-response.js'
import { BodyError } from '../otlp/read-body.js'
import { rowsFromBody } from '../otlp/rows-from-body.js'

export type Transport = 'http' | 'grpc'

export interface TraceExport {
  transport: Transport
  apiKey: string | undefined
  encoding: OtlpEncoding
  /** Called only once the key and the spool's room are checked: a refused request reads no body. */
  readBody: () => Promise<Uint8Array>
  /** `performance.now()` when the request arrived, for the acknowledgement latency histogram. */
  started: number
}

/** Resolves once every accepted span is fsynced; the partial success to report, if any span was refused. */
export async function ingestTraces(deps: Deps, request: TraceExport): Promise<PartialSuccess | undefined> {
  const { transport } = request
  const projectId = await resolveProject(deps.projects, request.apiKey)
  deps.writer.assertAccepting()
  const body = await request.readBody()
  const { batch, accepted, rejected } = prepareBatch(deps, body, request.encoding, projectId, transport)
  await deps.writer.append(batch)
  deps.metrics.spansAccepted.inc({ transport }, accepted)
  deps.metrics.ackSeconds.observe((performance.now() - request.started) / 1000)
  if (rejected.count === 0) return undefined
  return { rejectedSpans: rejected.count, errorMessage: rejected.messages.join('; ') }
}

/**
 * Decode → normalise → price → storability gate → encode, synchronously: the decoded request and
 * its rows die here, young, instead of living across the spool's fsync (see SpanWriter.prepare).
 * Refusals are counted before the append, so a span refused here is counted even when the spool
 * then says 503.
 */
function prepareBatch(deps: Deps, body: Uint8Array, encoding: OtlpEncoding, projectId: string, transport: Transport) {
  const { rows, rejected, unstorable } = rowsFromBody(body, encoding, { projectId, maxAttributeValueBytes: deps.env.INGEST_MAX_ATTRIBUTE_BYTES })
  let unstorableCount = 0
  for (const [field, count] of unstorable.rejected) {
    deps.metrics.spansRejected.inc({ reason: `unstorable_${field}`, transport }, count)
    unstorableCount += count
  }
  for (const [field, count] of unstorable.clamped) deps.metrics.spansClamped.inc({ field }, count)
  if (rejected.count > unstorableCount) deps.metrics.spansRejected.inc({ reason: 'invalid_span', transport }, rejected.count - unstorableCount)
  return { batch: deps.writer.prepare(rows), accepted: rows.length, rejected }
}

/** Why an export was refused, in both vocabularies: the HTTP status and the gRPC code it maps to. */
export interface IngestFailure {
  status: number
  code: GrpcCodeNumber
  message: string
  /** Set for overload: the exporter should retry after this long (Retry-After / RetryInfo). */
  retryAfterSeconds: number | undefined
}

const GRPC_FOR_STATUS: Record<number, GrpcCodeNumber> = {
  400: GrpcCode.INVALID_ARGUMENT,
  401: GrpcCode.UNAUTHENTICATED,
  413: GrpcCode.RESOURCE_EXHAUSTED,
  415: GrpcCode.INVALID_ARGUMENT,
  429: GrpcCode.RESOURCE_EXHAUSTED,
  503: GrpcCode.UNAVAILABLE,
}

/**
 * Classifies a failed export and counts it. Only a fault of ours is logged and answered as
 * internal; a client's bad input is always its own 4xx / gRPC code.
 */
export function describeIngestFailure(deps: Deps, transport: Transport, error: unknown): IngestFailure {
  let status = 500
  let message = 'Internal error while ingesting; the batch was not stored.'
  let reason = 'internal'
  let retryAfterSeconds: number | undefined
  if (error instanceof BodyError) {
    ;[status, message, reason] = [error.status, error.message, error.status === 413 ? 'too_large' : 'bad_body']
  } else if (error instanceof OtlpDecodeError) {
    ;[status, message, reason] = [400, error.message, 'malformed']
  } else if (error instanceof AppError) {
    ;[status, message, reason, retryAfterSeconds] = [error.status, error.message, error.code, error.retryAfterSeconds]
  } else {
    deps.logger.error('ingest failed', { err: error, transport })
  }
  deps.metrics.requestsRejected.inc({ reason, transport })
  return { status, code: GRPC_FOR_STATUS[status] ?? GrpcCode.INTERNAL, message, retryAfterSeconds }
}
