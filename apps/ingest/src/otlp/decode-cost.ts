/**
 * How many objects decoding a body would create, counted without decoding it: decoding costs per
 * object, not per byte, so bytes alone cannot tell a cheap body from an expensive one. Measured on
 * the 2-core dev box (Node 20), 256 KB bodies decoded and normalised on the event loop:
 *
 * | 256 KB of …                          | objects | time   |
 * |--------------------------------------|---------|--------|
 * | empty protobuf spans (2 bytes each)  | 131k    | 576 ms |
 * | empty JSON spans (`{}`)              | 87k     | 294 ms |
 * | empty JSON events in one span        | 87k     | 53 ms  |
 * | 100 GenAI spans (~2.5 KB each, JSON) | ~3.5k   | ~4 ms  |
 *
 * A span is the most expensive object: ~4.4 µs empty, ~11 µs valid (normalised, priced, encoded),
 * against ~1 µs for the others. Protobuf spans therefore count as SPAN_WEIGHT objects (in JSON the
 * byte limit already caps spans: a valid one takes over 100 bytes). A body of at most
 * MAX_EVENT_LOOP_OBJECTS holds the event loop ~25–45 ms at worst; anything more goes to a worker.
 */
import { countJsonContainers } from './json-depth.js'

export const MAX_EVENT_LOOP_OBJECTS = 10_000
const SPAN_WEIGHT = 10

/** True when `body` may be decoded on the event loop (see the table above). */
export function isCheapToDecode(body: Uint8Array, encoding: 'json' | 'protobuf', signal: Signal = 'traces'): boolean {
  const objects =
    encoding === 'json'
      ? countJsonContainers(body, MAX_EVENT_LOOP_OBJECTS)
      : countProtobufMessages(body, MAX_EVENT_LOOP_OBJECTS, signal)
  return objects <= MAX_EVENT_LOOP_OBJECTS
}

/** Which OTLP export request a body is. */
export type Signal = 'traces' | 'logs'

type Kind =
  | 'request'
  | 'logsRequest'
  | 'resourceLogs'
  | 'scopeLogs'
  | 'logRecord'
  | 'resourceSpans'
  | 'resource'
  | 'scopeSpans'
  | 'scope'
  | 'span'
  | 'event'
  | 'link'
  | 'status'
  | 'keyValue'
  | 'anyValue'
  | 'arrayValue'
  | 'kvList'

/** The message-typed fields of each OTLP trace and logs message (field number → its type); others are skipped. */
const CHILDREN: Record<Kind, Partial<Record<number, Kind>>> = {
  request: { 1: 'resourceSpans' },
  logsRequest: { 1: 'resourceLogs' },
  resourceLogs: { 1: 'resource', 2: 'scopeLogs' },
  scopeLogs: { 1: 'scope', 2: 'logRecord' },
  logRecord: { 5: 'anyValue', 6: 'keyValue' },
  resourceSpans: { 1: 'resource', 2: 'scopeSpans' },
  resource: { 1: 'keyValue' },
  scopeSpans: { 1: 'scope', 2: 'span' },
  scope: { 3: 'keyValue' },
  span: { 9: 'keyValue', 11: 'event', 13: 'link', 15: 'status' },
  event: { 3: 'keyValue' },
  link: { 4: 'keyValue' },
  status: {},
  keyValue: { 2: 'anyValue' },
  anyValue: { 5: 'arrayValue', 6: 'kvList' },
  arrayValue: { 1: 'anyValue' },
  kvList: { 1: 'keyValue' },
}

/** Deeper than protobufjs decodes: such a body is malformed, and the worker says so. */
const MAX_NESTING = 100

/**
 * Messages in an ExportTraceServiceRequest or ExportLogsServiceRequest (spans and log records weighing
 * SPAN_WEIGHT), counted by walking its tags and skipping every scalar; stops once past `limit`. Anything
 * malformed counts as `Infinity`, which sends the body to a worker, where the real decoder reports the error.
 */
export function countProtobufMessages(body: Uint8Array, limit: number, signal: Signal = 'traces'): number {
  const stack: Array<{ kind: Kind; end: number }> = [
    { kind: signal === 'traces' ? 'request' : 'logsRequest', end: body.length },
  ]
  let count = 0
  let at = 0
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (at >= top.end) {
      if (at > top.end) return Infinity
      stack.pop()
      continue
    }
    const tag = readVarint(body, at)
    if (tag === undefined) return Infinity
    at = tag.next
    const wireType = tag.value & 7
    if (wireType === 0) {
      const skipped = readVarint(body, at)
      if (skipped === undefined) return Infinity
      at = skipped.next
    } else if (wireType === 1 || wireType === 5) {
      at += wireType === 1 ? 8 : 4
    } else if (wireType === 2) {
      const length = readVarint(body, at)
      if (length === undefined || length.next + length.value > top.end) return Infinity
      at = length.next
      const child = CHILDREN[top.kind][Math.floor(tag.value / 8)]
      if (child === undefined) {
        at += length.value
      } else {
        count += child === 'span' || child === 'logRecord' ? SPAN_WEIGHT : 1
        if (count > limit) return count
        if (stack.length >= MAX_NESTING) return Infinity
        stack.push({ kind: child, end: at + length.value })
      }
    } else {
      return Infinity
    }
  }
  return count
}

/** A base-128 varint at `at` (up to 2^53, enough for any length in a 64 MiB body). */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0
  let scale = 1
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i]!
    value += (byte & 0x7f) * scale
    if (byte < 0x80) return { value, next: i + 1 }
    scale *= 128
  }
  return undefined
}
