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

/**
 * Calls `onOpen` with the depth of each `[` / `{` outside strings, until it returns false. A plain
 * byte loop: skipping strings with indexOf (memchr) was 9× slower on GenAI bodies, whose strings
 * are mostly short keys (2.2 vs 0.25 ms for 150 KB).
 */
function forEachContainer(bytes: Uint8Array, onOpen: (depth: number) => boolean): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) {
      inString = true
    } else if (b === 0x5b || b === 0x7b) {
      if (!onOpen(++depth)) return
    } else if (b === 0x5d || b === 0x7d) {
      depth--
    }
  }
}
