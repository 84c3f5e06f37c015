/**
 * AnyValue / KeyValue lists of proto3-JSON-shaped objects → `Attributes`: OTLP/JSON bodies, and
 * protobufjs's `toObject` output (int64 as long.js objects, bytes raw) for logs bodies and as the
 * reference the one-pass protobuf decoder of trace bodies (decode-protobuf.ts) is tested against.
 */
import type { AttrValue, Attributes } from './types.js'
import { OtlpDecodeError } from './decode-error.js'
import {
  droppedCount,
  getField,
  isRecord,
  joinPath,
  longToBigInt,
  preview,
  recordList,
  recordListHead,
  type JsonRecord,
} from './fields.js'

/** Generous for real GenAI messages (about 6 levels), small enough to stop stack-exhaustion bodies. */
export const MAX_ANY_VALUE_DEPTH = 64
const MAX_DEPTH = MAX_ANY_VALUE_DEPTH
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/**
 * Own-property write, so a key like "__proto__" becomes data instead of changing the prototype.
 * Only that key needs defineProperty: using it for every key made decoding 5 % slower.
 */
export function setOwn(target: Record<string, AttrValue>, key: string, value: AttrValue): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

function intValue(raw: unknown, path: string): number | string {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw
  const long = longToBigInt(raw)
  if (long !== undefined || (typeof raw === 'string' && /^-?\d{1,20}$/.test(raw))) {
    const big = long ?? BigInt(raw as string)
    const isSafe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
    return isSafe ? Number(big) : big.toString()
  }
  throw OtlpDecodeError.at(`${path}.intValue`, `expected an integer or decimal string, got ${preview(raw)}`)
}

function doubleValue(raw: unknown, path: string): number {
  if (typeof raw === 'number') return raw
  // proto3 JSON spells non-finite doubles as strings, and allows numeric strings.
  if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return Number(raw)
  if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw)
  throw OtlpDecodeError.at(`${path}.doubleValue`, `expected a number, got ${preview(raw)}`)
}

function arrayValue(raw: unknown, path: string, depth: number): AttrValue[] {
  if (!isRecord(raw)) throw OtlpDecodeError.at(`${path}.arrayValue`, `expected an object, got ${preview(raw)}`)
  const values = getField(raw, 'values')
  if (values === undefined) return []
  if (!Array.isArray(values)) {
    throw OtlpDecodeError.at(`${path}.arrayValue.values`, `expected an array, got ${preview(values)}`)
  }
  return values.map((item: unknown, i) => toAttrValue(item, `${path}.arrayValue.values[${i}]`, depth + 1))
}

function kvlistValue(raw: unknown, path: string, depth: number): Attributes {
  if (!isRecord(raw)) throw OtlpDecodeError.at(`${path}.kvlistValue`, `expected an object, got ${preview(raw)}`)
  return keyValuesToObject(recordList(raw, 'values', `${path}.kvlistValue`), `${path}.kvlistValue.values`, depth + 1)
}

/** One AnyValue. An AnyValue with no field set is "empty" in OTLP and becomes null. */
function toAttrValue(raw: unknown, path: string, depth = 0): AttrValue {
  if (depth > MAX_DEPTH) throw OtlpDecodeError.at(path, `values nested deeper than ${MAX_DEPTH} levels`)
  if (raw === undefined || raw === null) return null
  if (!isRecord(raw)) throw OtlpDecodeError.at(path, `expected an AnyValue object, got ${preview(raw)}`)
  const v: JsonRecord = raw
  let field: unknown
  if ((field = getField(v, 'stringValue')) !== undefined) {
    if (typeof field !== 'string')
      throw OtlpDecodeError.at(`${path}.stringValue`, `expected a string, got ${preview(field)}`)
    return field
  }
  if ((field = getField(v, 'boolValue')) !== undefined) {
    if (typeof field !== 'boolean')
      throw OtlpDecodeError.at(`${path}.boolValue`, `expected a boolean, got ${preview(field)}`)
    return field
  }
  if ((field = getField(v, 'intValue')) !== undefined) return intValue(field, path)
  if ((field = getField(v, 'doubleValue')) !== undefined) return doubleValue(field, path)
  if ((field = getField(v, 'arrayValue')) !== undefined) return arrayValue(field, path, depth)
  if ((field = getField(v, 'kvlistValue')) !== undefined) return kvlistValue(field, path, depth)
  if ((field = getField(v, 'bytesValue')) !== undefined) {
    // protobufjs's objects keep bytes raw; OTLP/JSON sends base64.
    if (field instanceof Uint8Array) return Buffer.from(field.buffer, field.byteOffset, field.length).toString('base64')
    if (typeof field !== 'string' || !BASE64.test(field)) {
      throw OtlpDecodeError.at(`${path}.bytesValue`, `expected a base64 string, got ${preview(field)}`)
    }
    return field
  }
  return null
}

function keyValuesToObject(list: JsonRecord[], path: string, depth: number): Attributes {
  const out: Attributes = {}
  list.forEach((kv, i) => {
    const key = getField(kv, 'key') ?? ''
    if (typeof key !== 'string') throw OtlpDecodeError.at(`${path}[${i}].key`, `expected a string, got ${preview(key)}`)
    // Duplicate keys are invalid OTLP; keeping the last one avoids a 400 for a sender bug we can absorb.
    setOwn(out, key, toAttrValue(getField(kv, 'value'), `${path}[${i}].value`, depth))
  })
  return out
}

export interface CappedAttributes {
  attributes: Attributes
  /** The sender's own `droppedAttributesCount`. */
  droppedBySender: number
  /** Cut by our limit: the KeyValues past the first `max`. */
  cut: number
}

/**
 * Reads the repeated KeyValue field `name` of `obj` (e.g. a span's `attributes`), keeping the first
 * `max` entries as OTel SDKs do, and the sibling `droppedAttributesCount`.
 */
export function toAttributes(obj: JsonRecord, name: string, path: string, max = Infinity): CappedAttributes {
  const { items, total } = recordListHead(obj, name, path, max)
  return {
    attributes: keyValuesToObject(items, joinPath(path, name), 0),
    droppedBySender: droppedCount(obj, 'droppedAttributesCount', path),
    cut: total - items.length,
  }
}
