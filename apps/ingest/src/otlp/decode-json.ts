/**
 * OTLP/JSON (proto3 JSON mapping with the OTLP deviations: ids are hex, enums are integers).
 * Accepts what real exporters send even where it strays from proto3 JSON: int64 as numbers,
 * upper-case hex ids, snake_case field names.
 */
import type { DecodedExportRequest } from './types.js'
import { OtlpDecodeError } from './decode-error.js'
import { preview } from './fields.js'
import { decodeRequestObject, type DecodeLimits, type IdReader } from './decode-object.js'
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js'

const HEX = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

function looksLikeBase64Id(raw: string, byteLength: number): boolean {
  return BASE64.test(raw) && Buffer.from(raw, 'base64').length === byteLength
}

/**
 * Non-hex ids reject the whole request: they are almost always base64 from a proto3-JSON library
 * that does not know OTLP's hex rule, so every span of that sender is affected. Hex of the wrong
 * length passes through; the normaliser rejects those spans one by one.
 */
export const readHexId: IdReader = (raw, path, byteLength) => {
  if (typeof raw === 'string' && HEX.test(raw)) return raw.toLowerCase()
  const hint =
    typeof raw === 'string' && looksLikeBase64Id(raw, byteLength) ? ' (OTLP/JSON ids are hex, not base64)' : ''
  throw OtlpDecodeError.at(path, `expected ${byteLength * 2} hex characters, got ${preview(raw)}${hint}`)
}

function parseJson(body: Uint8Array): unknown {
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    throw new OtlpDecodeError(`Malformed OTLP/JSON: nested deeper than ${MAX_JSON_DEPTH} levels (no valid request is)`)
  }
  let text: string
  try {
    text = utf8.decode(body)
  } catch {
    throw new OtlpDecodeError('Malformed JSON: body is not valid UTF-8')
  }
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new OtlpDecodeError(`Malformed JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** An empty body is an empty request: the spec says empty requests SHOULD succeed. */
export function decodeJsonExportRequest(body: Uint8Array, limits?: DecodeLimits): DecodedExportRequest {
  return decodeRequestObject(parseJson(body), readHexId, limits)
}
