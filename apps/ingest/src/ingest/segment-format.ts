/**
 * The spool's file format, which is also the insert's: a header line `#TabSeparated ` + the JSON
 * array of column names, then one TabSeparated line per span (values only, in the header's order;
 * tsv-row.ts).
 *
 * TabSeparated is what the engine parses with the least CPU of the text formats chDB's rawInsert
 * and a server's HTTP interface both take (measured with bench/insert-formats.ts, BENCHMARKS.md),
 * and the cheapest to write from JS. The header keeps a segment loadable after a column is added
 * (it names its own).
 *
 * Segments written by earlier versions still replay as they are: a first line that is a JSON array
 * marks JSONCompactEachRow rows (the format before this one), and a first line that is neither
 * marks JSONEachRow objects without a header (the first format).
 */
import { SPAN_INSERT_COLUMNS, type SpanRowInsert } from '@sightline/schema'
import { newTsvPrevious, tsvLine, tsvUnescape } from './tsv-row.js'
import type { ValuesFormat } from '../db/client.js'

const TSV_MARK = '#TabSeparated '

export const SPAN_SEGMENT_HEADER: Buffer = Buffer.from(`${TSV_MARK}${JSON.stringify(SPAN_INSERT_COLUMNS)}\n`)

/**
 * Each line is encoded on its own, straight into one buffer: joining the lines into one string and
 * encoding that cost three times as much (25 vs 8 µs a span for 100-span requests of ~2 KB rows,
 * Node 20), the join alone more than the line building; a buffer per line and a concatenation cost
 * ~3 µs a span more (an in-process decode → encode loop over the bench's requests, BENCHMARKS.md).
 */
export function encodeSpanRows(rows: readonly SpanRowInsert[]): Buffer {
  return encodeSpanLines(rows).data
}

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2). */
const MAX_BYTES_PER_CHAR = 3

/**
 * `encodeSpanRows`, plus where each line ends, so that lines can later be dropped without re-encoding.
 * The buffer is sized from the lines' lengths in characters, which is their size in bytes when they
 * are ASCII (nearly always: names, ids, JSON with escapes): measuring every line's UTF-8 length first
 * cost as much as writing it. Only a line that might not fit is measured, and then what is left.
 */
export function encodeSpanLines(rows: readonly SpanRowInsert[]): { data: Buffer; lineEnds: Uint32Array } {
  const lines = new Array<string>(rows.length)
  const lineEnds = new Uint32Array(rows.length)
  let chars = 0
  // A request's spans share their resource's attributes: written once per run of spans, not per span.
  const previous = newTsvPrevious()
  for (let i = 0; i < rows.length; i++) {
    const line = tsvLine(rows[i]!, SPAN_INSERT_COLUMNS, previous)
    lines[i] = line
    chars += line.length
  }
  let data = Buffer.allocUnsafe(chars)
  let at = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (data.length - at < line.length * MAX_BYTES_PER_CHAR && data.length - at < Buffer.byteLength(line)) {
      let rest = 0
      for (let j = i; j < lines.length; j++) rest += Buffer.byteLength(lines[j]!)
      const grown = Buffer.allocUnsafe(at + rest)
      data.copy(grown, 0, 0, at)
      data = grown
    }
    at += data.write(line, at, 'utf8')
    lineEnds[i] = at
  }
  return { data: at === data.length ? data : data.subarray(0, at), lineEnds }
}

/** Bytes of the header line at the start of `data` (0 for a segment from before headers). */
export function headerBytes(data: Buffer): number {
  if (data[0] !== 0x23 /* # */ && data[0] !== 0x5b /* [ */) return 0
  const end = data.indexOf(0x0a)
  return end < 0 ? data.length : end + 1
}

/** How a segment's lines are written: what the insert, the quarantine and a replay need to know. */
export type SegmentLayout = { format: ValuesFormat; columns: string[] } | { format: 'JSONEachRow' }

export type SegmentBody = SegmentLayout & {
  /** The header line as written (empty for a headerless segment), kept in front of quarantined rows. */
  header: Buffer
  rows: Buffer
}

function columnNames(text: string): string[] {
  const columns: unknown = JSON.parse(text)
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) {
    throw new Error('spool segment header is not a list of column names')
  }
  return columns
}

/** Splits a segment file into what the insert needs; a malformed header throws (quarantine). */
export function readSegment(data: Buffer): SegmentBody {
  const end = headerBytes(data)
  if (end === 0) return { format: 'JSONEachRow', header: Buffer.alloc(0), rows: data }
  const header = data.subarray(0, end)
  const text = header.toString('utf8')
  const rows = data.subarray(end)
  if (text.startsWith(TSV_MARK))
    return { format: 'TabSeparated', columns: columnNames(text.slice(TSV_MARK.length)), header, rows }
  if (text.startsWith('#')) throw new Error('spool segment header names an unknown format')
  return { format: 'JSONCompactEachRow', columns: columnNames(text), header, rows }
}

/** The named columns of one line (newline excluded), as written; {} for a line that cannot be read. */
export function lineFields(layout: SegmentLayout, line: string, names: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  if (layout.format === 'TabSeparated') {
    const values = line.split('\t')
    for (const name of names) {
      const value = values[layout.columns.indexOf(name)]
      if (value !== undefined) fields[name] = tsvUnescape(value)
    }
    return fields
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return fields
  }
  for (const name of names) {
    if (layout.format === 'JSONCompactEachRow' && Array.isArray(parsed))
      fields[name] = parsed[layout.columns.indexOf(name)]
    else if (layout.format === 'JSONEachRow' && parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      fields[name] = (parsed as Record<string, unknown>)[name]
  }
  return fields
}

/**
 * The traces a segment's rows belong to (`project\0trace`), read back from its lines: only for a
 * segment recovered at start, whose keys did not survive the restart in memory.
 */
export function traceKeysOf(body: SegmentBody): Set<string> {
  const keys = new Set<string>()
  for (const line of body.rows.toString('utf8').split('\n')) {
    if (line === '') continue
    const fields = lineFields(body, line, ['project_id', 'trace_id'])
    // A torn line never reaches the loader (the spool cuts it); nothing to resolve for it.
    if (fields.trace_id !== undefined) keys.add(`${String(fields.project_id)}\u0000${String(fields.trace_id)}`)
  }
  return keys
}
