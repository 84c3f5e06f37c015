/**
 * One OTLP trace export, whatever carried it (OTLP/HTTP or OTLP/gRPC): key → project, room in the
 * spool, body, then decode → normalise → price → storability gate → spool. Both transports call
 * this, so a span means the same thing and is acknowledged under the same guarantee (fsynced)
 * whichever way it came. A body that could hold the event loop (large, or many tiny objects, see
 * decode-cost.ts) is decoded in a worker (decode-pool.ts) by the same function.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { resolveProject } from '../middleware/auth.js'
import { isCheapToDecode } from '../otlp/decode-cost.js'
import type { LargeBody } from '../otlp/decode-pool.js'
import { OtlpDecodeError, type OtlpEncoding } from '../otlp/decode.js'
import { GrpcCode, type GrpcCodeNumber, type PartialSuccess } from '../otlp/encode-response.js'
import { BodyError, type ReceivedRequestBody } from '../otlp/read-body.js'
import { rowsFromBody, type PrepareOptions, type UnstorableCounts } from '../otlp/rows-from-body.js'
import type { PreparedBatch } from './writer.js'

export type Transport = 'http' | 'grpc'

export interface TraceExport {
  transport: Transport
  apiKey: string | undefined
  encoding: OtlpEncoding
  /** Called only once the key and the spool's room are checked: a refused request reads no body. */
  receive: () => Promise<ReceivedRequestBody>
  /** `performance.now()` when the request arrived, for the acknowledgement latency histogram. */
  started: number
}

/** Resolves once every accepted span is fsynced; the partial success to report, if any span was refused. */
export async function ingestTraces(deps: Deps, request: TraceExport): Promise<PartialSuccess | undefined> {
  const { transport, encoding } = request
  const projectId = await resolveProject(deps.projects, request.apiKey)
  deps.writer.assertAccepting()
  const body = await request.receive()
  const options = prepareOptions(deps, projectId)
  const { batch, accepted, rejected, unstorable } =
    body.small && isCheapToDecode(body.small, encoding)
      ? prepareHere(deps, body.small, encoding, options)
      : await prepareInWorker(deps, body.large ?? toWorker(deps, body.small), encoding, options)
  countRefusals(deps, transport, rejected.count, unstorable)
  await deps.writer.append(batch)
  deps.metrics.spansAccepted.inc({ transport }, accepted)
  deps.metrics.ackSeconds.observe((performance.now() - request.started) / 1000)
  if (rejected.count === 0) return undefined
  return { rejectedSpans: rejected.count, errorMessage: rejected.messages.join('; ') }
}

interface Prepared {
  batch: PreparedBatch
  accepted: number
  rejected: { count: number; messages: string[] }
  unstorable: UnstorableCounts
}

function prepareOptions(deps: Deps, projectId: string): PrepareOptions {
  const { env } = deps
  return {
    projectId,
    maxAttributeValueBytes: env.INGEST_MAX_ATTRIBUTE_BYTES,
    limits: {
      maxEventsPerSpan: env.INGEST_MAX_EVENTS_PER_SPAN,
      maxLinksPerSpan: env.INGEST_MAX_LINKS_PER_SPAN,
      maxAttributesPerSpan: env.INGEST_MAX_ATTRIBUTES_PER_SPAN,
    },
  }
}

/**
 * On the event loop, synchronously: the decoded request and its rows die here, young, instead of
 * living across the spool's fsync (see SpanWriter.prepare). Only for bodies small enough that even a
 * hostile one holds the event loop briefly (decode-cost.ts).
 */
function prepareHere(deps: Deps, body: Uint8Array, encoding: OtlpEncoding, options: PrepareOptions): Prepared {
  const { rows, rejected, unstorable } = rowsFromBody(body, encoding, options)
  return { batch: deps.writer.prepare(rows), accepted: rows.length, rejected, unstorable }
}

/** A body already in memory but of many tiny objects (see decode-cost.ts): handed to a worker. */
function toWorker(deps: Deps, body: Uint8Array | undefined): LargeBody {
  const large = deps.decodePool.open('identity', deps.env.INGEST_MAX_BODY_BYTES)
  if (body) large.write(body)
  return large
}

/** The same in a decode worker: the event loop only drops retries from the encoded lines. */
async function prepareInWorker(
  deps: Deps,
  body: LargeBody,
  encoding: OtlpEncoding,
  options: PrepareOptions,
): Promise<Prepared> {
  const { encoded, rejected, unstorable } = await body.finish(encoding, options)
  return { batch: deps.writer.prepareEncoded(encoded), accepted: encoded.keys.length, rejected, unstorable }
}

/** Counted before the append, so a span refused here is counted even when the spool then says 503. */
function countRefusals(deps: Deps, transport: Transport, rejectedCount: number, unstorable: UnstorableCounts): void {
  let unstorableCount = 0
  for (const [field, count] of unstorable.rejected) {
    deps.metrics.spansRejected.inc({ reason: `unstorable_${field}`, transport }, count)
    unstorableCount += count
  }
  for (const [field, count] of unstorable.clamped) deps.metrics.spansClamped.inc({ field }, count)
  if (rejectedCount > unstorableCount)
    deps.metrics.spansRejected.inc({ reason: 'invalid_span', transport }, rejectedCount - unstorableCount)
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
