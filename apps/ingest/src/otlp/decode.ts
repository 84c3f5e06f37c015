/**
 * Entry point for POST /v1/traces bodies (already decompressed by read-body.ts). The output does not
 * depend on the encoding; failures throw OtlpDecodeError, which the route turns into a 400.
 */
import type { DecodedExportRequest } from './types.js'
import { decodeJsonExportRequest } from './decode-json.js'
import { decodeProtobufExportRequest } from './decode-protobuf.js'

export { OtlpDecodeError } from './decode-error.js'

export type OtlpEncoding = 'json' | 'protobuf'

export function decodeExportRequest(body: Uint8Array, encoding: OtlpEncoding): DecodedExportRequest {
  return encoding === 'json' ? decodeJsonExportRequest(body) : decodeProtobufExportRequest(body)
}
