/**
 * Byte-level scans of a JSON body, before JSON.parse: its nesting depth, and how many arrays and
 * objects parsing it would create (see decode-cost.ts). V8 parses deep nesting without overflowing
 * its stack, but slowly: a 10 MB `[[[…]]]` body took 4 s of the event loop (then a RangeError later,
 * answered 500). No valid OTLP request is deeper than `MAX_JSON_DEPTH`.
 */
import { MAX_ANY_VALUE_DEPTH } from './any-value.js'

/**
 * request → resourceSpans[] → {} → scopeSpans[] → {} → spans[] → {} → events[] → {} →
 * attributes[] → {} → value{} is 12 levels to the outermost AnyValue; each nested AnyValue adds at
 * most 4 (kvlistValue{} → values[] → {} → value{}), and the deepest one may still open an empty
 * kvlistValue{} → values[] (2 more).
 */
export const MAX_JSON_DEPTH = 12 + 4 * MAX_ANY_VALUE_DEPTH + 2

const QUOTE = 0x22
const BACKSLASH = 0x5c

/** True when `[` / `{` nest deeper than `max` outside strings. Stops at the first excess. */
export function jsonDepthExceeds(body: Uint8Array, max: number): boolean {
  let exceeded = false
  forEachContainer(body, (depth) => !(exceeded = depth > max))
  return exceeded
}

/** Arrays and objects in `body` (what JSON.parse would create), counted up to just past `limit`. */
export function countJsonContainers(body: Uint8Array, limit: number): number {
  let count = 0
  forEachContainer(body, () => ++count <= limit)
  return count
}

/** Calls `onOpen` with the depth of each `[` / `{` outside strings, until it returns false. */
function forEachContainer(body: Uint8Array, onOpen: (depth: number) => boolean): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  let depth = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (b === QUOTE) {
      // Strings are most of a GenAI body: skipped with memchr-backed indexOf, not byte by byte.
      i = closingQuote(bytes, i + 1)
      if (i < 0) return
    } else if (b === 0x5b || b === 0x7b) {
      if (!onOpen(++depth)) return
    } else if (b === 0x5d || b === 0x7d) {
      depth--
    }
  }
}

/** Index of the quote that ends a string starting at `from`, or -1 (JSON.parse reports that). */
function closingQuote(bytes: Buffer, from: number): number {
  for (let at = from; ; ) {
    const quote = bytes.indexOf(QUOTE, at)
    if (quote < 0) return -1
    let backslashes = 0
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote
    at = quote + 1
  }
}
