/**
 * @module content/args-key
 * The identity of a tool call's arguments: a short hash of their canonical JSON (keys sorted), so
 * `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same call. Computed once at ingest and stored; loop and
 * retry detection compare these keys, never raw text.
 */
import { canonicalJson } from './canonical-json.js'

/** Beyond this size arguments are hashed as sent: canonicalising megabytes on the ingest path is not worth it. */
const CANONICAL_MAX_CHARS = 65_536

export function toolArgsKey(args: string): string {
  if (args === '') return ''
  const text = args.length <= CANONICAL_MAX_CHARS ? canonicalJson(args) : args
  return hash53(text).toString(16).padStart(14, '0')
}

/** cyrb53: a fast, well-distributed 53-bit string hash (public domain, bryc). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
