/**
 * "Can this row be stored": the last gate before a span is acknowledged. Every value that goes
 * into a typed column of `spans` (packages/schema/migrations/0001_spans.sql) or of the rollups fed
 * from it is checked against that column's range here, so the store can never refuse a row the
 * edge answered 200 for. One value the store refused used to cost the whole spool segment.
 *
 * Per field, a value that cannot be stored either rejects the span (OTLP partial success, the
 * exporter is told which field) or is clamped with a flag on the span; the choice is stated next to
 * each check. What the store did with each kind when it was let through (chDB 26.7, measured):
 *   - times at or past 2262-04-12: DECIMAL_OVERFLOW (407), whole insert refused; times before 1970
 *     or past 2106-02-07 06:28:15 were stored but their rollup bucket, a DateTime, wrapped silently
 *     (1900 landed in 2036, 2200 in 2063);
 *   - tokens: a negative count CANNOT_PARSE_NUMBER (72), 1e308 or a fraction
 *     CANNOT_PARSE_INPUT_ASSERTION_FAILED (27), 1e20 stored wrapped (7766279631452242000);
 *   - cost: 9+ integer digits ARGUMENT_OUT_OF_BOUND (69);
 *   - a lone high surrogate in any string or map key CANNOT_PARSE_ESCAPE_SEQUENCE (25); a lone low
 *     one was stored as invalid UTF-8 (ED B0 80);
 *   - otel_kind 300 stored as 44 (UInt8 wraps), a negative one refused (72).
 * NUL and other control characters, empty map keys and NaN durations (sent as null) were stored.
 * Those were JSON inserts. The spool now inserts TabSeparated (ingest/tsv-row.ts), where a negative
 * count is CANNOT_PARSE_INPUT_ASSERTION_FAILED (27), 2^64 is stored as 0, a lone surrogate becomes
 * U+FFFD when the line is encoded and NaN is stored as nan: the checks below stand either way.
 */
import type { SpanRowInsert } from '@sightline/schema'

declare global {
  // Node 20 has both (V8 11.3); the ES2024 lib that types them is newer than this project's target.
  interface String {
    isWellFormed(): boolean
    toWellFormed(): string
  }
}

/** Bounded labels for /metrics, and the words of the partial-success message. */
export type UnstorableField = 'start_time' | 'end_time' | 'otel_kind' | 'duration_ms' | 'tokens' | 'cost_usd' | 'text'

export type StorableResult =
  | { ok: true; clamped: readonly UnstorableField[] }
  | { ok: false; field: UnstorableField; reason: string }

/**
 * [1970-01-01, 2106-02-07 06:28:16): the range of the rollups' DateTime buckets, inside
 * DateTime64(9)'s [1900, 2262-04-11]. DateTime64(9) text compares correctly as a string (fixed
 * width, four-digit years: nanosecond input tops out in 2554), so no parsing on the hot path.
 */
const MIN_STORABLE_TIME = '1970-01-01 00:00:00.000000000'
const MAX_STORABLE_TIME = '2106-02-07 06:28:15.999999999'

/**
 * No model call comes within five orders of magnitude of a trillion tokens. The cap keeps each
 * count exact in a JS number and keeps rollup sums (UInt64, and Int64 in agg_5m's
 * rp_uncached_input_tokens) from wrapping.
 */
export const MAX_TOKENS = 1e12

/** Decimal(18, 10): eight integer digits, ten decimals (more are cut, as the store would round). */
const STORABLE_COST = /^0*(\d{1,8})(?:\.(\d{1,10})\d*)?$/

/** Flags set by this gate; the raw value a clamp replaced stays in `attributes`. */
const FLAG_INVALID_END_TIME = 'invalid_end_time'
const FLAG_INVALID_KIND = 'invalid_otel_kind'
const FLAG_INVALID_USAGE = 'invalid_usage'
const FLAG_INVALID_COST = 'invalid_cost'
const FLAG_INVALID_TEXT = 'invalid_text'
const RAW_ATTRIBUTE_PREFIX = 'sightline.invalid.'

/**
 * Whether any string decoded from `body` (after decompression) may hold a lone UTF-16 surrogate.
 * A JS string gets one only from a `\uD800`–`\uDFFF` escape: a JSON body's bytes must be valid
 * UTF-8 (decode-json.ts refuses others), protobuf strings are decoded as UTF-8 (bad bytes become
 * U+FFFD), and normalisation cuts text only at character boundaries. Escapes can also sit inside a
 * string that normalisation parses as JSON (messages, metadata), in either encoding, and are then
 * still `\u` + `d` in the body's bytes, so one scan of the body covers every path. Most bodies
 * have no such escape (JS exporters do not escape non-ASCII), which spares the per-string checks.
 * Measured on the corpus (bench/storable-gate.ts, Node 20, loaded 2-core box): per-string checks
 * ~1.0 µs a span, this scan ~0.4 µs a span (~2 KB of body each), the other checks ~0.1 µs, against
 * ~8 µs to encode the span for the spool.
 */
export function mayHoldLoneSurrogates(body: Uint8Array): boolean {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  for (let i = bytes.indexOf(ESCAPE_U); i >= 0; i = bytes.indexOf(ESCAPE_U, i + 2)) {
    const next = bytes[i + 2]
    if (next === 0x64 /* d */ || next === 0x44 /* D */) return true
  }
  return false
}
const ESCAPE_U = Buffer.from('\\u')

/**
 * Checks and fixes `row` in place. `ok: false` means the span must be refused; the row is then
 * half-fixed and must not be written. `checkText` is `mayHoldLoneSurrogates` of the row's body.
 */
export function makeStorable(row: SpanRowInsert, checkText = true): StorableResult {
  // Rejected: the start time is the span's place in the partition, the ordering key and every
  // rollup; a made-up start would put it in a chart at a time it never ran.
  if (!(row.start_time >= MIN_STORABLE_TIME && row.start_time <= MAX_STORABLE_TIME)) {
    return {
      ok: false,
      field: 'start_time',
      reason: `start time out of range (${row.start_time.slice(0, 19)} UTC is outside 1970-01-01 … 2106-02-07)`,
    }
  }
  let clamped: UnstorableField[] | undefined
  // Clamped: the end only gives the duration; the span's identity and content are sound.
  if (!(row.end_time >= MIN_STORABLE_TIME && row.end_time <= MAX_STORABLE_TIME)) {
    keepRaw(row, 'end_time', row.end_time)
    row.end_time = row.start_time
    row.duration_ms = 0
    row.flags.push(FLAG_INVALID_END_TIME)
    ;(clamped ??= []).push('end_time')
  }
  // Computed by us from integers, so always finite; checked because Float64 takes no NaN via JSON.
  if (!(Number.isFinite(row.duration_ms) && row.duration_ms >= 0)) {
    row.duration_ms = 0
    ;(clamped ??= []).push('duration_ms')
  }
  // Clamped to 0 (unspecified): OTLP defines 0–5, the column is UInt8 and wraps anything past 255.
  if (!(Number.isInteger(row.otel_kind) && row.otel_kind >= 0 && row.otel_kind <= 255)) {
    keepRaw(row, 'otel_kind', String(row.otel_kind))
    row.otel_kind = 0
    row.flags.push(FLAG_INVALID_KIND)
    ;(clamped ??= []).push('otel_kind')
  }
  // Clamped: a broken usage attribute must not cost the span; all five counts go to 0 (a partial
  // usage would be priced and summed as if real), the raw attribute stays in `attributes`, and the
  // cost computed from them is dropped (unpriced, counted, never a silent 0).
  if (!tokenCountsOk(row)) {
    clearUsage(row)
    ;(clamped ??= []).push('tokens')
  }
  // Clamped to unpriced: a reported or computed cost past Decimal(18, 10) is not a real bill.
  if (row.cost_usd !== null) {
    const cost = storableCost(row.cost_usd)
    if (cost === undefined) {
      keepRaw(row, 'cost_usd', row.cost_usd)
      markUnpriced(row, FLAG_INVALID_COST)
      ;(clamped ??= []).push('cost_usd')
    } else if (cost !== row.cost_usd) {
      row.cost_usd = cost
    }
  }
  // Replaced: lone UTF-16 surrogates become U+FFFD, in every string, key and JSON text.
  if (checkText && !wellFormedText(row)) {
    row.flags.push(FLAG_INVALID_TEXT)
    ;(clamped ??= []).push('text')
  }
  return clamped === undefined ? STORABLE : { ok: true, clamped }
}

const STORABLE: StorableResult = { ok: true, clamped: [] }

function tokenCountsOk(row: SpanRowInsert): boolean {
  for (let i = 0; i < TOKEN_COLUMNS.length; i++) if (!isTokenCount(row[TOKEN_COLUMNS[i]!])) return false
  return true
}

function isTokenCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS
}

function clearUsage(row: SpanRowInsert): void {
  for (const column of TOKEN_COLUMNS) row[column] = 0
  if (row.cost_source !== 'reported') markUnpriced(row, FLAG_INVALID_USAGE)
  else row.flags.push(FLAG_INVALID_USAGE)
}

function markUnpriced(row: SpanRowInsert, flag: string): void {
  row.cost_usd = null
  row.cost_source = ''
  row.is_unpriced = row.is_llm_call
  row.flags.push(flag)
}

/** The cost as Decimal(18, 10) text, or undefined when it does not fit. */
export function storableCost(text: string): string | undefined {
  const match = STORABLE_COST.exec(text)
  if (!match) return undefined
  const [, integer = '', decimals] = match
  // The common case (what formatCostUsd writes) needs no new string.
  if (decimals === undefined) return integer.length === text.length ? text : integer
  return integer.length + 1 + decimals.length === text.length ? text : `${integer}.${decimals}`
}

function keepRaw(row: SpanRowInsert, field: string, raw: string): void {
  row.attributes[`${RAW_ATTRIBUTE_PREFIX}${field}`] = raw.toWellFormed()
}

/**
 * How each column is kept storable. Typed `Record<keyof SpanRowInsert, …>`, so a column added to
 * the row does not compile until it is given a rule here (AGENTS.md, "adding a spans column").
 * `ours`: only values this server produces (enums, booleans, flags, project and hex ids checked
 * by ids-and-time.ts, the price source).
 */
export const COLUMN_RULES = {
  project_id: 'ours',
  trace_id: 'ours',
  span_id: 'ours',
  parent_span_id: 'ours',
  trace_state: 'text',
  name: 'text',
  kind: 'ours',
  otel_kind: 'uint8',
  start_time: 'time',
  end_time: 'time',
  duration_ms: 'float',
  status: 'ours',
  status_message: 'text',
  error_type: 'text',
  service_name: 'text',
  service_version: 'text',
  environment: 'text',
  scope_name: 'text',
  scope_version: 'text',
  agent_name: 'text',
  operation: 'text',
  model: 'text',
  provider: 'text',
  is_llm_call: 'ours',
  input_tokens: 'tokens',
  output_tokens: 'tokens',
  cached_input_tokens: 'tokens',
  cache_write_tokens: 'tokens',
  reasoning_tokens: 'tokens',
  cost_usd: 'decimal',
  cost_source: 'ours',
  is_unpriced: 'ours',
  tool_name: 'text',
  tool_call_id: 'text',
  tool_arguments: 'text',
  tool_result: 'text',
  input: 'text',
  output: 'text',
  session_id: 'text',
  user_id: 'text',
  attributes: 'text-map',
  resource_attributes: 'text-map',
  events: 'json-text',
  links: 'json-text',
  flags: 'ours',
  input_preview: 'text',
  output_preview: 'text',
  tool_args_key: 'ours',
  reported_tool_errors: 'text-list',
} as const satisfies Record<
  keyof SpanRowInsert,
  'ours' | 'text' | 'text-list' | 'text-map' | 'json-text' | 'time' | 'uint8' | 'float' | 'tokens' | 'decimal'
>

type ColumnsWith<R> = {
  [K in keyof typeof COLUMN_RULES]: (typeof COLUMN_RULES)[K] extends R ? K : never
}[keyof typeof COLUMN_RULES]
const columnsWith = <R extends string>(rule: R) =>
  Object.keys(COLUMN_RULES).filter((c) => COLUMN_RULES[c as keyof typeof COLUMN_RULES] === rule) as Array<
    ColumnsWith<R>
  >
export const TEXT_COLUMNS = columnsWith('text')
const LIST_COLUMNS = columnsWith('text-list')
const MAP_COLUMNS = columnsWith('text-map')
const JSON_TEXT_COLUMNS = columnsWith('json-text')
const TOKEN_COLUMNS = columnsWith('tokens')

/**
 * True when nothing needed replacing. `isWellFormed` answers in O(1) for one-byte strings, which
 * most values are; only two-byte strings are scanned.
 */
function wellFormedText(row: SpanRowInsert): boolean {
  let ok = true
  for (const column of TEXT_COLUMNS) {
    const value = row[column]
    if (!value.isWellFormed()) {
      row[column] = value.toWellFormed()
      ok = false
    }
  }
  for (const column of LIST_COLUMNS) {
    const list = row[column]
    if (list.every((value) => value.isWellFormed())) continue
    row[column] = list.map((value) => value.toWellFormed())
    ok = false
  }
  for (const column of MAP_COLUMNS) if (!wellFormedMap(row, column)) ok = false
  for (const column of JSON_TEXT_COLUMNS) {
    const fixed = wellFormedJsonText(row[column])
    if (fixed !== undefined) {
      row[column] = fixed
      ok = false
    }
  }
  return ok
}

function wellFormedMap(row: SpanRowInsert, column: (typeof MAP_COLUMNS)[number]): boolean {
  const map = row[column]
  let fixed: Record<string, string> | undefined
  for (const key in map) {
    const value = map[key]!
    if (key.isWellFormed() && value.isWellFormed()) continue
    fixed ??= { ...map }
    delete fixed[key]
    fixed[key.toWellFormed()] = value.toWellFormed()
  }
  if (fixed === undefined) return true
  // Resource attributes are one object shared by the spans of a resource: replace, never mutate.
  row[column] = fixed
  return false
}

/**
 * `events` and `links` are JSON text built with JSON.stringify, which writes a lone surrogate as
 * the escape `\udXXX` (a valid pair is written raw). Rare, so the fix re-parses.
 */
function wellFormedJsonText(text: string): string | undefined {
  if (!/\\ud[89a-f]/i.test(text)) return undefined
  const fixed = JSON.stringify(wellFormedValue(JSON.parse(text)))
  return fixed === text ? undefined : fixed
}

function wellFormedValue(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed()
  if (Array.isArray(value)) return value.map(wellFormedValue)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key.toWellFormed(), {
      value: wellFormedValue(item),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}
