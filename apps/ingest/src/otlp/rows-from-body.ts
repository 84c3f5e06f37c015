/**
 * A request body → the rows the edge acknowledges: decode (capped) → normalise → price →
 * storability gate. It runs on the event loop for small bodies and in a decode worker for large
 * ones (decode-pool.ts), and the tests that must know exactly what a 200 acknowledged (fuzzer,
 * property test) call it too, so "acknowledged" means the same thing everywhere.
 */
import type { SpanRowInsert } from '@sightline/schema'
import { decodeExportRequest, type DecodeLimits, type OtlpEncoding } from './decode.js'
import { MAX_REJECTION_MESSAGES, normalizeExportRequest, type NormalizeOptions } from './normalize/index.js'
import { makeStorable, mayHoldLoneSurrogates, type UnstorableField } from './normalize/storable.js'
import { priceRows } from '../pricing/price-spans.js'

export interface PrepareOptions extends NormalizeOptions {
  /** Caps on events, links and attributes per span; absent: the OTel SDK defaults (decode.ts). */
  limits?: DecodeLimits
}

export type UnstorableCounts = { rejected: Map<UnstorableField, number>; clamped: Map<UnstorableField, number> }

export interface RowsFromBody {
  rows: SpanRowInsert[]
  rejected: { count: number; messages: string[] }
  /** Spans refused or clamped by the storability gate, per field (for /metrics). */
  unstorable: UnstorableCounts
}

export function rowsFromBody(body: Uint8Array, encoding: OtlpEncoding, opts: PrepareOptions): RowsFromBody {
  const { rows: normalized, rejected } = normalizeExportRequest(decodeExportRequest(body, encoding, opts.limits), opts)
  priceRows(normalized)
  const unstorable = { rejected: new Map<UnstorableField, number>(), clamped: new Map<UnstorableField, number>() }
  const rows: SpanRowInsert[] = []
  const checkText = mayHoldLoneSurrogates(body)
  for (const row of normalized) {
    const result = makeStorable(row, checkText)
    if (result.ok) {
      rows.push(row)
      for (const field of result.clamped) unstorable.clamped.set(field, (unstorable.clamped.get(field) ?? 0) + 1)
      continue
    }
    unstorable.rejected.set(result.field, (unstorable.rejected.get(result.field) ?? 0) + 1)
    rejected.count++
    if (rejected.messages.length < MAX_REJECTION_MESSAGES) {
      const name = row.name.length > 100 ? `${row.name.slice(0, 100)}…` : row.name
      rejected.messages.push(
        `span '${name.toWellFormed()}' (trace ${row.trace_id}, span ${row.span_id}): ${result.reason}`,
      )
    }
  }
  return { rows, rejected, unstorable }
}
