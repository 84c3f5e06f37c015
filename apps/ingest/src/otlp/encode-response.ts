/**
 * Response bodies for POST /v1/traces, always in the request's encoding: the proto exporter logs
 * "could not deserialize response" when it gets JSON back. Success is an ExportTraceServiceResponse,
 * errors are a google.rpc.Status (OTLP/HTTP spec, "Failures"). OTLP/gRPC sends the same response
 * message, and a Status with RetryInfo in its trailers when it asks the exporter to back off.
 */
import type { OtlpEncoding } from './decode.js'
import { ExportLogsServiceResponse, ExportTraceServiceResponse, RpcRetryInfo, RpcStatus } from './otlp-proto.js'

export interface EncodedBody {
  body: Uint8Array | string
  contentType: string
}

export interface PartialSuccess {
  rejectedSpans: number
  errorMessage: string
}

/** google.rpc.Code values used by the OTLP edge. */
export const GrpcCode = {
  PERMISSION_DENIED: 7,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const
export type GrpcCodeNumber = (typeof GrpcCode)[keyof typeof GrpcCode]

const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
}

/**
 * The spec says partial_success MUST NOT be set when everything was accepted (and the JS exporter
 * treats an empty partialSuccess object as "none"), so an all-zero partial gives a plain `{}`.
 */
function partialObject(partial: PartialSuccess | undefined): Record<string, string> | undefined {
  if (partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '')) return undefined
  const out: Record<string, string> = {}
  // proto3 JSON writes int64 as a decimal string and omits zero values.
  if (partial.rejectedSpans !== 0) out['rejectedSpans'] = String(partial.rejectedSpans)
  if (partial.errorMessage !== '') out['errorMessage'] = partial.errorMessage
  return out
}

export function encodeExportResponse(encoding: OtlpEncoding, partial?: PartialSuccess): EncodedBody {
  const partialSuccess = partialObject(partial)
  const contentType = CONTENT_TYPE[encoding]
  if (encoding === 'json') {
    return { body: JSON.stringify(partialSuccess === undefined ? {} : { partialSuccess }), contentType }
  }
  // An empty ExportTraceServiceResponse encodes to 0 bytes, which is a valid message.
  const message = ExportTraceServiceResponse.fromObject(partialSuccess === undefined ? {} : { partialSuccess })
  return { body: ExportTraceServiceResponse.encode(message).finish(), contentType }
}

/** ExportLogsServiceResponse: the same shape, with `rejectedLogRecords` (log records carrying evaluation results). */
export function encodeLogsExportResponse(encoding: OtlpEncoding, partial?: PartialSuccess): EncodedBody {
  const contentType = CONTENT_TYPE[encoding]
  const rejected =
    partial && (partial.rejectedSpans !== 0 || partial.errorMessage !== '')
      ? {
          ...(partial.rejectedSpans ? { rejectedLogRecords: String(partial.rejectedSpans) } : {}),
          ...(partial.errorMessage ? { errorMessage: partial.errorMessage } : {}),
        }
      : undefined
  if (encoding === 'json')
    return { body: JSON.stringify(rejected === undefined ? {} : { partialSuccess: rejected }), contentType }
  const message = ExportLogsServiceResponse.fromObject(rejected === undefined ? {} : { partialSuccess: rejected })
  return { body: ExportLogsServiceResponse.encode(message).finish(), contentType }
}

export function encodeStatus(encoding: OtlpEncoding, status: { code: GrpcCodeNumber; message: string }): EncodedBody {
  const contentType = CONTENT_TYPE[encoding]
  const plain = { code: status.code, message: status.message }
  if (encoding === 'json') return { body: JSON.stringify(plain), contentType }
  return { body: RpcStatus.encode(RpcStatus.fromObject(plain)).finish(), contentType }
}

/**
 * The `grpc-status-details-bin` trailer for a retryable refusal: a google.rpc.Status whose details
 * hold a google.rpc.RetryInfo (OTLP/gRPC spec, "Throttling"), the delay clients wait before retrying.
 */
export function encodeRetryStatus(code: GrpcCodeNumber, message: string, retryAfterSeconds: number): Buffer {
  const whole = Math.floor(retryAfterSeconds)
  const retryDelay = { seconds: whole, nanos: Math.round((retryAfterSeconds - whole) * 1e9) }
  const retryInfo = RpcRetryInfo.encode(RpcRetryInfo.fromObject({ retryDelay })).finish()
  const details = [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo }]
  const status = RpcStatus.encode(RpcStatus.fromObject({ code, message, details })).finish()
  return Buffer.from(status.buffer, status.byteOffset, status.byteLength)
}
