/**
 * Rows already encoded as spool lines, with each line's span key: what a decode worker hands back to
 * the event loop, which only has to drop retries (whole lines) before spooling.
 */
import type { SpanRowInsert } from '@sightline/schema'
import { encodeSpanLines } from './segment-format.js'

export interface EncodedRows {
  data: Buffer
  /** End offset (exclusive) in `data` of each row's line. */
  lineEnds: Uint32Array
  keys: string[]
}

/** A span's identity for retry detection: the same span sent twice by an exporter. */
export const spanKey = (row: SpanRowInsert) => `${row.project_id}/${row.trace_id}/${row.span_id}`

export function encodeRowsWithKeys(rows: readonly SpanRowInsert[]): EncodedRows {
  return { ...encodeSpanLines(rows), keys: rows.map(spanKey) }
}
