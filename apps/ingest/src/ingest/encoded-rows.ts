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

/**
 * The traces (`project\0trace`, the resolver's key) of span keys, each once. Split from the right:
 * span and trace ids are hex, a project id is not constrained here.
 */
export function tracesOfSpanKeys(spanKeys: readonly string[]): string[] {
  const traces = new Set<string>()
  for (const key of spanKeys) {
    const spanStart = key.lastIndexOf('/')
    const traceStart = key.lastIndexOf('/', spanStart - 1)
    traces.add(`${key.slice(0, traceStart)}\u0000${key.slice(traceStart + 1, spanStart)}`)
  }
  return [...traces]
}

export function encodeRowsWithKeys(rows: readonly SpanRowInsert[]): EncodedRows {
  return { ...encodeSpanLines(rows), keys: rows.map(spanKey) }
}
