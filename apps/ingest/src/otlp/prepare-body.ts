/**
 * One OTLP body → priced span rows: decode, normalise, price. The same function runs on the event
 * loop for small bodies and in a decode worker for large ones (decode-pool.ts), so both paths store
 * exactly the same rows.
 */
import { priceRows } from '../pricing/price-spans.js'
import { decodeExportRequest, type DecodeLimits, type OtlpEncoding } from './decode.js'
import { normalizeExportRequest, type NormalizeOptions, type NormalizeResult } from './normalize/index.js'

export interface PrepareOptions extends NormalizeOptions {
  limits: DecodeLimits
}

export function prepareBody(body: Uint8Array, encoding: OtlpEncoding, opts: PrepareOptions): NormalizeResult {
  const request = decodeExportRequest(body, encoding, opts.limits)
  const result = normalizeExportRequest(request, opts)
  priceRows(result.rows)
  return result
}
