/**
 * Byte caps on stored text. ClickHouse rows with multi-megabyte prompts slow every query that touches
 * the part, so each value is cut at `maxBytes` of UTF-8 and the row gets the `truncated` flag.
 */
import { CONTENT_COLUMNS, MOVED_ATTRIBUTE_MARKER, type ContentColumn } from '@sightline/schema'
import type { Attributes } from '../types.js'
import { toText } from './attributes.js'

export interface Truncator {
  cap(text: string): string
  readonly truncated: boolean
}

export function createTruncator(maxBytes: number): Truncator {
  let truncated = false
  return {
    cap(text) {
      // Cheap pre-check: a UTF-8 character is at most 4 bytes, so short strings cannot exceed the cap.
      if (text.length * 4 <= maxBytes) return text
      const bytes = Buffer.from(text, 'utf8')
      if (bytes.length <= maxBytes) return text
      truncated = true
      return cutAtCharBoundary(bytes, maxBytes)
    },
    get truncated() {
      return truncated
    },
  }
}

/** Never split a multi-byte character: step back over UTF-8 continuation bytes (10xxxxxx). */
function cutAtCharBoundary(bytes: Buffer, maxBytes: number): string {
  let end = Math.max(0, maxBytes)
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString('utf8')
}

/** Below this size a duplicate costs less than the marker is worth. */
const MIN_MOVED_BYTES = 128

/**
 * Every attribute kept, as text, for the `Map(String, String)` columns. An attribute whose text is
 * exactly one of the row's content columns is stored as a marker naming that column (see
 * `MOVED_ATTRIBUTE_MARKER`), so a prompt is not stored twice.
 */
export function flattenAttributes(
  attrs: Attributes,
  truncator: Truncator,
  content: Partial<Record<ContentColumn, string>> = {},
): Record<string, string> {
  const moved = new Map<string, ContentColumn>()
  for (const column of CONTENT_COLUMNS) {
    const text = content[column]
    if (text !== undefined && text.length >= MIN_MOVED_BYTES && !moved.has(text)) moved.set(text, column)
  }
  const out: Record<string, string> = {}
  // Keys, not entries: a [key, value] array per attribute was ~1.4 KB of garbage a span.
  for (const key of Object.keys(attrs)) {
    const text = truncator.cap(toText(attrs[key]!))
    const column = moved.size > 0 ? moved.get(text) : undefined
    out[key] = column ? `${MOVED_ATTRIBUTE_MARKER}${column}` : text
  }
  return out
}
