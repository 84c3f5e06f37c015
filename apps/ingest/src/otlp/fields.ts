/**
 * Field access for proto3-JSON-shaped objects, what the walker (decode-object.ts) reads: OTLP/JSON
 * bodies as parsed, and protobufjs `toObject` output (logs bodies, and the reference the one-pass
 * protobuf decoder of trace bodies is tested against).
 */
import { OtlpDecodeError } from './decode-error.js'

export type JsonRecord = Record<string, unknown>

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Field names are a small fixed set, and every absent field asks for its snake spelling: memoised. */
const snakeCache = new Map<string, string>()
function toSnakeCase(camel: string): string {
  let snake = snakeCache.get(camel)
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    snakeCache.set(camel, snake)
  }
  return snake
}

/**
 * Reads `camelName`, falling back to its snake_case spelling: proto3 JSON parsers must accept the
 * original proto field names too, and some hand-rolled exporters send them. `null` counts as absent
 * (proto3 JSON: null means the default value).
 */
export function getField(obj: JsonRecord, camelName: string): unknown {
  const direct = Object.hasOwn(obj, camelName) ? obj[camelName] : undefined
  if (direct !== undefined && direct !== null) return direct
  const snake = toSnakeCase(camelName)
  if (snake === camelName || !Object.hasOwn(obj, snake)) return undefined
  const fallback = obj[snake]
  return fallback === null ? undefined : fallback
}

const PREVIEW_CHARS = 40

/** Short, printable excerpt of an offending value for error messages. */
export function preview(value: unknown): string {
  const text = shortJson(value, PREVIEW_CHARS + 1)
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 3)}...` : text
}

/**
 * JSON text of `value`, built only until it passes `budget` characters. JSON.stringify of the whole
 * value made a 10 MB `[[[…]]]` body throw RangeError (a 500) after seconds of work; this costs the
 * same for any value, since every nesting level spends at least one character of the budget.
 */
function shortJson(value: unknown, budget: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > budget ? value.slice(0, budget) : value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value)
  const isArray = Array.isArray(value)
  const keys = isArray ? undefined : Object.keys(value)
  const length = isArray ? value.length : keys!.length
  let out = isArray ? '[' : '{'
  for (let i = 0; i < length && out.length <= budget; i++) {
    if (i > 0) out += ','
    const key = keys?.[i]
    if (key !== undefined) out += `${JSON.stringify(key)}:`
    out += shortJson(isArray ? value[i] : (value as JsonRecord)[key!], budget - out.length)
  }
  return out.length > budget ? out : out + (isArray ? ']' : '}')
}

export function optionalString(obj: JsonRecord, name: string, path: string): string {
  const value = getField(obj, name)
  if (value === undefined) return ''
  if (typeof value !== 'string') {
    throw OtlpDecodeError.at(joinPath(path, name), `expected a string, got ${preview(value)}`)
  }
  return value
}

export function optionalRecord(obj: JsonRecord, name: string, path: string): JsonRecord | undefined {
  const value = getField(obj, name)
  if (value === undefined) return undefined
  if (!isRecord(value)) throw OtlpDecodeError.at(joinPath(path, name), `expected an object, got ${preview(value)}`)
  return value
}

/** Repeated field: absent → []; each element must be an object. */
export function recordList(obj: JsonRecord, name: string, path: string): JsonRecord[] {
  return recordListHead(obj, name, path, Infinity).items
}

/**
 * The first `max` elements of a repeated field, and how many it has. Elements past `max` are not
 * looked at, so a span with a million events costs no more to decode than one with `max`.
 */
export function recordListHead(
  obj: JsonRecord,
  name: string,
  path: string,
  max: number,
): { items: JsonRecord[]; total: number } {
  const value = getField(obj, name)
  if (value === undefined) return { items: [], total: 0 }
  if (!Array.isArray(value)) throw OtlpDecodeError.at(joinPath(path, name), `expected an array, got ${preview(value)}`)
  const items = new Array<JsonRecord>(Math.min(value.length, max))
  for (let i = 0; i < items.length; i++) {
    const item: unknown = value[i]
    if (!isRecord(item))
      throw OtlpDecodeError.at(`${joinPath(path, name)}[${i}]`, `expected an object, got ${preview(item)}`)
    items[i] = item
  }
  return { items, total: value.length }
}

/** A `dropped_*_count` (uint32): what the sender's SDK already left out. */
export function droppedCount(obj: JsonRecord, name: string, path: string): number {
  const value = getField(obj, name)
  if (value === undefined) return 0
  const count = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0 && count <= 0xffffffff) return count
  throw OtlpDecodeError.at(joinPath(path, name), `expected an unsigned 32-bit count, got ${preview(value)}`)
}

/**
 * Enums (span kind, status code) are integers in OTLP/JSON; the spec says names MUST NOT be used,
 * and accepting them would make us the only receiver that does.
 */
export function enumNumber(obj: JsonRecord, name: string, path: string): number {
  const value = getField(obj, name)
  if (value === undefined) return 0
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff) return value
  const hint = typeof value === 'string' ? ' (OTLP/JSON enums are integers; enum names MUST NOT be used)' : ''
  throw OtlpDecodeError.at(joinPath(path, name), `expected an integer enum value, got ${preview(value)}${hint}`)
}

/**
 * fixed64 nanosecond timestamps: proto3 JSON says decimal string, JS exporters sometimes send numbers.
 * Kept as decimal strings so no precision is lost past 2^53 (today's epoch nanos are ~1.8e18).
 */
/**
 * protobufjs decodes 64-bit integers as long.js objects. Converting them ourselves through BigInt is
 * 6× faster than long.js's own toString (measured: 0.1 vs 0.63 µs), and there are 2+ per span.
 */
export function longToBigInt(value: unknown): bigint | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { low, high, unsigned } = value as { low?: unknown; high?: unknown; unsigned?: unknown }
  if (typeof low !== 'number' || typeof high !== 'number') return undefined
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)
  return unsigned === true ? bits : BigInt.asIntN(64, bits)
}

export function unixNano(obj: JsonRecord, name: string, path: string): string {
  const value = getField(obj, name)
  if (value === undefined) return '0'
  if (typeof value === 'string' && /^\d{1,20}$/.test(value))
    return value.length > 1 ? value.replace(/^0+(?=\d)/, '') : value
  const long = longToBigInt(value)
  if (long !== undefined && long >= 0n) return long.toString()
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value).toString()
  throw OtlpDecodeError.at(joinPath(path, name), `expected unsigned integer nanoseconds, got ${preview(value)}`)
}

export function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}
