/**
 * @module content/json-text
 * Parses text that may hold JSON, remembering the last few answers. Captured content (a span's
 * input and output messages, ~2 KB each) is parsed once when it is normalised, to know whether it is
 * JSON to keep as it is, and again right after to read its preview text: with the answer remembered,
 * the second is a lookup. Callers must not mutate what they get back (it may be shared).
 */

/** Returned for text that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON')

const SLOTS = 4
const texts: string[] = []
const values: unknown[] = []
let next = 0

/** The value `text` holds as JSON, or NOT_JSON. */
export function parseJsonText(text: string): unknown {
  for (let i = 0; i < texts.length; i++) if (texts[i] === text) return values[i]
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = NOT_JSON
  }
  texts[next] = text
  values[next] = value
  next = (next + 1) % SLOTS
  return value
}
