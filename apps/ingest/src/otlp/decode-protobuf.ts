/**
 * OTLP/protobuf via protobufjs. The decoded message is turned into proto3-JSON-shaped plain objects
 * (int64 as decimal strings so nothing loses precision, bytes as base64) and walked by the same code
 * as OTLP/JSON; only ids differ, arriving as base64 of raw bytes instead of hex.
 */
import type { DecodedExportRequest } from './types.js'
import { OtlpDecodeError } from './decode-error.js'
import { decodeRequestObject, type IdReader } from './decode-object.js'
import { ExportTraceServiceRequest } from './otlp-proto.js'

const TO_OBJECT_OPTIONS = { longs: String, bytes: String, enums: Number, defaults: false } as const

/** Wrong-length ids pass through as hex: rejecting them is the normaliser's per-span decision. */
const readBase64Id: IdReader = (raw, path) => {
  if (typeof raw !== 'string') throw OtlpDecodeError.at(path, 'expected bytes')
  return Buffer.from(raw, 'base64').toString('hex')
}

/** The two mistakes seen in practice: a gzip body without Content-Encoding, and JSON sent as protobuf. */
function likelyCause(body: Uint8Array): string {
  if (body[0] === 0x1f && body[1] === 0x8b) return ' (the body looks gzip-compressed: send Content-Encoding: gzip)'
  if (body[0] === 0x7b) return ' (the body looks like JSON: send Content-Type: application/json)'
  return ''
}

function decodeMessage(body: Uint8Array): Record<string, unknown> {
  try {
    const message = ExportTraceServiceRequest.decode(body)
    return ExportTraceServiceRequest.toObject(message, TO_OBJECT_OPTIONS)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new OtlpDecodeError(
      `Malformed protobuf ExportTraceServiceRequest (${body.length} bytes): ${reason}${likelyCause(body)}`,
    )
  }
}

/** A 0-byte body is a valid, empty ExportTraceServiceRequest. */
export function decodeProtobufExportRequest(body: Uint8Array): DecodedExportRequest {
  return decodeRequestObject(decodeMessage(body), readBase64Id)
}
