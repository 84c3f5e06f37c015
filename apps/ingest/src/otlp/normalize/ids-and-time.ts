/**
 * Span identity and timing checks. A span that fails here is rejected alone (OTLP partial success):
 * the rest of the batch is stored and the exporter is told how many were dropped, so it does not retry.
 */
import type { DecodedSpan } from '../types.js'

export type SpanIds =
  | { ok: true; traceId: string; spanId: string; parentSpanId: string }
  | { ok: false; reason: string }

const HEX_32 = /^[0-9a-f]{32}$/
const HEX_16 = /^[0-9a-f]{16}$/
const ALL_ZEROS = /^0+$/

/** Ids are stored lower-case: OTLP/JSON hex is case-insensitive (the spec's example uses upper case). */
export function validateSpanIds(span: DecodedSpan): SpanIds {
  const traceId = span.traceId.toLowerCase()
  const spanId = span.spanId.toLowerCase()
  const parent = span.parentSpanId.toLowerCase()
  if (!HEX_32.test(traceId)) return { ok: false, reason: 'trace id is not 32 hex characters' }
  if (ALL_ZEROS.test(traceId)) return { ok: false, reason: 'trace id is all zeros' }
  if (!HEX_16.test(spanId)) return { ok: false, reason: 'span id is not 16 hex characters' }
  if (ALL_ZEROS.test(spanId)) return { ok: false, reason: 'span id is all zeros' }
  if (parent !== '' && !HEX_16.test(parent)) {
    return { ok: false, reason: 'parent span id is neither empty nor 16 hex characters' }
  }
  // Some SDKs write an all-zero parent for roots instead of leaving it empty.
  const parentSpanId = ALL_ZEROS.test(parent) ? '' : parent
  return { ok: true, traceId, spanId, parentSpanId }
}

export interface SpanTiming {
  startTime: string
  endTime: string
  durationMs: number
  flags: string[]
}

/** `undefined` when the start time is missing: such a span cannot be placed on a timeline. */
export function spanTiming(startNanos: string, endNanos: string): SpanTiming | undefined {
  const start = parseNanos(startNanos)
  if (start === undefined || start === 0n) return undefined
  const end = parseNanos(endNanos)
  const flags: string[] = []
  let endValue = end ?? 0n
  if (end === undefined || end === 0n) {
    endValue = start
    flags.push('no_end_time')
  } else if (end < start) {
    flags.push('end_before_start')
  }
  const durationMs = endValue > start ? Number(endValue - start) / 1e6 : 0
  const startTime = nanosToDateTime64(start)
  return { startTime, endTime: nanosToDateTime64(endValue), durationMs, flags }
}

export function parseNanos(text: string): bigint | undefined {
  return /^\d{1,20}$/.test(text) ? BigInt(text) : undefined
}

/**
 * ClickHouse DateTime64(9) text in UTC. BigInt because epoch nanoseconds (~1.8e18) exceed 2^53:
 * a float would round away the last three digits.
 */
export function nanosToDateTime64(nanos: bigint): string {
  const { seconds, fraction } = splitNanos(nanos)
  return `${isoSeconds(seconds).replace('T', ' ')}.${fraction}`
}

/** ISO-8601 with nanoseconds, for event times inside the `events` JSON. */
export function nanosToIso(nanos: bigint): string {
  const { seconds, fraction } = splitNanos(nanos)
  return `${isoSeconds(seconds)}.${fraction}Z`
}

function splitNanos(nanos: bigint): { seconds: bigint; fraction: string } {
  const seconds = nanos / 1_000_000_000n
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0')
  return { seconds, fraction }
}

/** Spans of a batch mostly share their seconds: one remembered conversion saves a Date per time. */
let lastSeconds = -1n
let lastIso = ''
function isoSeconds(seconds: bigint): string {
  if (seconds !== lastSeconds) {
    lastIso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
    lastSeconds = seconds
  }
  return lastIso
}
