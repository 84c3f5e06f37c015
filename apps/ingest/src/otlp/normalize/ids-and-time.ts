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

/**
 * Epoch nanoseconds as whole seconds and the nanoseconds past them, both exact in a double: the
 * decimal text is split at its ninth digit from the right. (As one number, ~1.8e18 is past 2^53.
 * Through BigInt, parsing, dividing and printing two times cost ~1 µs a span on the ingest bench.)
 */
export interface Nanos {
  seconds: number
  fraction: number
  /** `fraction` as nine digits. */
  fractionText: string
}

const DECIMAL_NANOS = /^\d{1,20}$/

/** `undefined` unless `text` is 1–20 decimal digits (the decoders' form of a fixed64). */
export function parseNanos(text: string): Nanos | undefined {
  if (!DECIMAL_NANOS.test(text)) return undefined
  const cut = text.length - 9
  if (cut <= 0) return { seconds: 0, fraction: Number(text), fractionText: text.padStart(9, '0') }
  const fractionText = text.slice(cut)
  return { seconds: Number(text.slice(0, cut)), fraction: Number(fractionText), fractionText }
}

const isZero = (t: Nanos): boolean => t.seconds === 0 && t.fraction === 0
const isBefore = (a: Nanos, b: Nanos): boolean =>
  a.seconds < b.seconds || (a.seconds === b.seconds && a.fraction < b.fraction)

/** Below this many seconds apart, the difference in nanoseconds is an exact double (under 2^53). */
const EXACT_DIFF_SECONDS = 9_000_000

/** `end - start` in milliseconds, as `Number(end - start) / 1e6` over BigInt nanoseconds would give. */
function millisBetween(start: Nanos, end: Nanos): number {
  const seconds = end.seconds - start.seconds
  if (seconds < EXACT_DIFF_SECONDS) return (seconds * 1e9 + (end.fraction - start.fraction)) / 1e6
  return Number(toBigInt(end) - toBigInt(start)) / 1e6
}

const toBigInt = (t: Nanos): bigint => BigInt(t.seconds) * 1_000_000_000n + BigInt(t.fraction)

/** `undefined` when the start time is missing: such a span cannot be placed on a timeline. */
export function spanTiming(startNanos: string, endNanos: string): SpanTiming | undefined {
  const start = parseNanos(startNanos)
  if (start === undefined || isZero(start)) return undefined
  const end = parseNanos(endNanos)
  const flags: string[] = []
  const noEnd = end === undefined || isZero(end)
  const endValue = noEnd ? start : end
  if (noEnd) flags.push('no_end_time')
  else if (isBefore(end, start)) flags.push('end_before_start')
  const durationMs = isBefore(start, endValue) ? millisBetween(start, endValue) : 0
  const startTime = nanosToDateTime64(start)
  return { startTime, endTime: nanosToDateTime64(endValue), durationMs, flags }
}

/** ClickHouse DateTime64(9) text in UTC. */
export function nanosToDateTime64(nanos: Nanos): string {
  return `${utcSeconds(nanos.seconds).dateTime}.${nanos.fractionText}`
}

/** ISO-8601 with nanoseconds, for event times inside the `events` JSON. */
export function nanosToIso(nanos: Nanos): string {
  return `${utcSeconds(nanos.seconds).iso}.${nanos.fractionText}Z`
}

export const ZERO_NANOS: Nanos = { seconds: 0, fraction: 0, fractionText: '000000000' }

/** Spans of a batch mostly share their seconds: one remembered conversion saves a Date per time. */
let last = { seconds: -1, iso: '', dateTime: '' }
function utcSeconds(seconds: number): { iso: string; dateTime: string } {
  if (seconds !== last.seconds) {
    const iso = new Date(seconds * 1000).toISOString().slice(0, 19)
    last = { seconds, iso, dateTime: iso.replace('T', ' ') }
  }
  return last
}
