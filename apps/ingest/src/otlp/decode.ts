/**
 * Entry point for POST /v1/traces bodies (already decompressed by read-body.ts). The output does not
 * depend on the encoding; failures throw OtlpDecodeError, which the route turns into a 400.
 */
import type { DecodedExportRequest } from './types.js'
import { decodeJsonExportRequest } from './decode-json.js'
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode-object.js'
import { OtlpDecodeError } from './decode-error.js'
import { decodeProtobufExportRequest } from './decode-protobuf.js'

export { OtlpDecodeError }
export { DEFAULT_DECODE_LIMITS, type DecodeLimits }

export type OtlpEncoding = 'json' | 'protobuf'

export function decodeExportRequest(
  body: Uint8Array,
  encoding: OtlpEncoding,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodedExportRequest {
  try {
    return encoding === 'json' ? decodeJsonExportRequest(body, limits) : decodeProtobufExportRequest(body, limits)
  } catch (err) {
    // Stack or size exhaustion while walking a client's body is the body's fault: 400, never 500.
    if (err instanceof RangeError) throw new OtlpDecodeError(`Could not decode the request: ${err.message}`)
    throw err
  }
}
