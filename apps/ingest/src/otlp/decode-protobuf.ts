/**
 * OTLP/protobuf straight from the bytes into `DecodedExportRequest`, in one pass. Before, protobufjs
 * decoded the body into messages, `toObject` copied them into proto3-JSON-shaped objects and the
 * walker shared with OTLP/JSON (decode-object.ts) built the result from those: three object graphs
 * per span where one is kept (decode → normalise → encode of the bench's spans, BENCHMARKS.md).
 *
 * The result is the walker's, field for field: ids as lower-case hex (any length: rejecting a wrong
 * one is the normaliser's per-span decision), times as decimal strings without precision loss, int64
 * values as numbers when safe and decimal strings otherwise, bytes as base64, absent fields as their
 * defaults, the same caps on attributes, events and links (counted, and what is past a cap is skipped,
 * not decoded) and the same AnyValue depth limit. `decode-protobuf.property.test.ts` holds the two
 * equal on random requests encoded by protobufjs, which stays the schema's reference (otlp-proto.ts).
 */
import { MAX_ANY_VALUE_DEPTH, setOwn } from './any-value.js'
import { OtlpDecodeError } from './decode-error.js'
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decode-object.js'
import { expectWireType, FIXED64, LENGTH_DELIMITED, VARINT, WireError, WireReader } from './protobuf-wire.js'
import type {
  AttrValue,
  Attributes,
  DecodedEvent,
  DecodedExportRequest,
  DecodedLink,
  DecodedResourceSpans,
  DecodedScopeSpans,
  DecodedSpan,
} from './types.js'

/** Past MAX_ANY_VALUE_DEPTH: a client's error, reported with where it was found. */
class DepthError extends Error {}

interface Ctx {
  r: WireReader
  limits: DecodeLimits
  /** Indexes of the resource, scope and span being read (-1: none yet), for an error's path. */
  resource: number
  scope: number
  span: number
}

/** The two mistakes seen in practice: a gzip body without Content-Encoding, and JSON sent as protobuf. */
function likelyCause(body: Uint8Array): string {
  if (body[0] === 0x1f && body[1] === 0x8b) return ' (the body looks gzip-compressed: send Content-Encoding: gzip)'
  if (body[0] === 0x7b) return ' (the body looks like JSON: send Content-Type: application/json)'
  return ''
}

/** A 0-byte body is a valid, empty ExportTraceServiceRequest. */
export function decodeProtobufExportRequest(
  body: Uint8Array,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodedExportRequest {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const ctx: Ctx = { r: new WireReader(buf), limits, resource: -1, scope: -1, span: -1 }
  const { r } = ctx
  try {
    const resourceSpans: DecodedResourceSpans[] = []
    while (r.pos < r.limit) {
      const tag = r.uint32()
      if (tag >>> 3 !== 1) r.skip(tag & 7, tag >>> 3)
      else {
        expectWireType(tag & 7, LENGTH_DELIMITED, 1, r.pos)
        ctx.resource = resourceSpans.length
        resourceSpans.push(resourceSpansOf(ctx))
      }
    }
    return { resourceSpans }
  } catch (err) {
    if (err instanceof DepthError) throw OtlpDecodeError.at(pathOf(ctx), err.message)
    if (!(err instanceof WireError)) throw err
    throw new OtlpDecodeError(
      `Malformed protobuf ExportTraceServiceRequest (${body.length} bytes): ${err.message}${likelyCause(body)}`,
    )
  }
}

function pathOf({ resource, scope, span }: Ctx): string {
  let path = resource < 0 ? '' : `resourceSpans[${resource}]`
  if (scope >= 0) path += `.scopeSpans[${scope}]`
  if (span >= 0) path += `.spans[${span}]`
  return path
}

/** Narrows the reader to the length-delimited message that starts here; returns the limit to restore. */
function enter(r: WireReader): number {
  const end = r.delimitedEnd()
  const outer = r.limit
  r.limit = end
  return outer
}

/** A repeated KeyValue field as it is read: the first `max` kept, every one counted. */
interface AttributeList {
  attributes: Attributes
  total: number
  kept: number
  droppedBySender: number
}

const newList = (): AttributeList => ({ attributes: {}, total: 0, kept: 0, droppedBySender: 0 })

function addKeyValue(ctx: Ctx, list: AttributeList): void {
  list.total++
  if (list.kept >= ctx.limits.maxAttributesPerSpan) {
    ctx.r.pos = ctx.r.delimitedEnd()
    return
  }
  list.kept++
  keyValueInto(ctx, list.attributes, 0)
}

function resourceSpansOf(ctx: Ctx): DecodedResourceSpans {
  const { r } = ctx
  const outer = enter(r)
  ctx.scope = -1
  ctx.span = -1
  let resource = newList()
  const scopeSpans: DecodedScopeSpans[] = []
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      resource = resourceOf(ctx)
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      ctx.scope = scopeSpans.length
      scopeSpans.push(scopeSpansOf(ctx))
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  const decoded: DecodedResourceSpans = { resource: resource.attributes, scopeSpans }
  const dropped = resource.droppedBySender + resource.total - resource.kept
  if (dropped > 0) decoded.droppedResourceAttributes = dropped
  return decoded
}

function resourceOf(ctx: Ctx): AttributeList {
  const { r } = ctx
  const outer = enter(r)
  const list = newList()
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      addKeyValue(ctx, list)
    } else if (field === 2) {
      expectWireType(tag & 7, VARINT, field, r.pos)
      list.droppedBySender = r.uint32()
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  return list
}

function scopeSpansOf(ctx: Ctx): DecodedScopeSpans {
  const { r } = ctx
  const outer = enter(r)
  ctx.span = -1
  let scope: DecodedScopeSpans['scope'] = { name: '', version: '', attributes: {} }
  const spans: DecodedSpan[] = []
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      scope = scopeOf(ctx)
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      ctx.span = spans.length
      spans.push(spanOf(ctx))
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  return { scope, spans }
}

/** Scope attributes are not stored; capped only so that they cost bounded time. */
function scopeOf(ctx: Ctx): DecodedScopeSpans['scope'] {
  const { r } = ctx
  const outer = enter(r)
  let name = ''
  let version = ''
  const attributes = newList()
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      name = r.string()
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      version = r.string()
    } else if (field === 3) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      addKeyValue(ctx, attributes)
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  return { name, version, attributes: attributes.attributes }
}

/** What a span lost to its sender and to our caps, over its own attributes and its kept events' and links'. */
interface SpanLoss {
  bySender: number
  cut: number
}

function spanOf(ctx: Ctx): DecodedSpan {
  const { r, limits } = ctx
  const outer = enter(r)
  const span: DecodedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
  }
  const attributes = newList()
  const loss: SpanLoss = { bySender: 0, cut: 0 }
  let eventCount = 0
  let linkCount = 0
  let droppedEvents = 0
  let droppedLinks = 0
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    const wireType = tag & 7
    switch (field) {
      case 1:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.traceId = r.bytesAs('hex')
        break
      case 2:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.spanId = r.bytesAs('hex')
        break
      case 3:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.traceState = r.string()
        break
      case 4:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.parentSpanId = r.bytesAs('hex')
        break
      case 5:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.name = r.string()
        break
      case 6:
        expectWireType(wireType, VARINT, field, r.pos)
        span.kind = r.int32()
        break
      case 7:
        expectWireType(wireType, FIXED64, field, r.pos)
        span.startTimeUnixNano = unsignedDecimal(r)
        break
      case 8:
        expectWireType(wireType, FIXED64, field, r.pos)
        span.endTimeUnixNano = unsignedDecimal(r)
        break
      case 9:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        addKeyValue(ctx, attributes)
        break
      case 10:
        expectWireType(wireType, VARINT, field, r.pos)
        attributes.droppedBySender = r.uint32()
        break
      case 11:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        if (eventCount++ < limits.maxEventsPerSpan) span.events.push(eventOf(ctx, loss))
        else r.pos = r.delimitedEnd()
        break
      case 12:
        expectWireType(wireType, VARINT, field, r.pos)
        droppedEvents = r.uint32()
        break
      case 13:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        if (linkCount++ < limits.maxLinksPerSpan) span.links.push(linkOf(ctx, loss))
        else r.pos = r.delimitedEnd()
        break
      case 14:
        expectWireType(wireType, VARINT, field, r.pos)
        droppedLinks = r.uint32()
        break
      case 15:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        span.status = statusOf(r)
        break
      default:
        r.skip(wireType, field)
    }
  }
  r.limit = outer
  span.attributes = attributes.attributes
  loss.bySender += attributes.droppedBySender
  loss.cut += attributes.total - attributes.kept
  const cutEvents = eventCount - span.events.length
  const cutLinks = linkCount - span.links.length
  const dropped = {
    attributes: loss.bySender + loss.cut,
    events: droppedEvents + cutEvents,
    links: droppedLinks + cutLinks,
    limitsApplied: loss.cut + cutEvents + cutLinks > 0,
  }
  if (dropped.attributes + dropped.events + dropped.links > 0) span.dropped = dropped
  return span
}

function eventOf(ctx: Ctx, loss: SpanLoss): DecodedEvent {
  const { r } = ctx
  const outer = enter(r)
  let timeUnixNano = '0'
  let name = ''
  const attributes = newList()
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, FIXED64, field, r.pos)
      timeUnixNano = unsignedDecimal(r)
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      name = r.string()
    } else if (field === 3) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      addKeyValue(ctx, attributes)
    } else if (field === 4) {
      expectWireType(tag & 7, VARINT, field, r.pos)
      attributes.droppedBySender = r.uint32()
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  loss.bySender += attributes.droppedBySender
  loss.cut += attributes.total - attributes.kept
  return { timeUnixNano, name, attributes: attributes.attributes }
}

function linkOf(ctx: Ctx, loss: SpanLoss): DecodedLink {
  const { r } = ctx
  const outer = enter(r)
  let traceId = ''
  let spanId = ''
  const attributes = newList()
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      traceId = r.bytesAs('hex')
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      spanId = r.bytesAs('hex')
    } else if (field === 4) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      addKeyValue(ctx, attributes)
    } else if (field === 5) {
      expectWireType(tag & 7, VARINT, field, r.pos)
      attributes.droppedBySender = r.uint32()
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  loss.bySender += attributes.droppedBySender
  loss.cut += attributes.total - attributes.kept
  return { traceId, spanId, attributes: attributes.attributes }
}

function statusOf(r: WireReader): DecodedSpan['status'] {
  const outer = enter(r)
  let code = 0
  let message = ''
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      message = r.string()
    } else if (field === 3) {
      expectWireType(tag & 7, VARINT, field, r.pos)
      code = r.int32()
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  return { code, message }
}

/** One KeyValue into `out` (the last of a repeated key wins); a key "__proto__" stays data. */
function keyValueInto(ctx: Ctx, out: Attributes, depth: number): void {
  const { r } = ctx
  const outer = enter(r)
  let key = ''
  let value: AttrValue = null
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    if (field === 1) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      key = r.string()
    } else if (field === 2) {
      expectWireType(tag & 7, LENGTH_DELIMITED, field, r.pos)
      value = anyValueOf(ctx, depth)
    } else r.skip(tag & 7, field)
  }
  r.limit = outer
  setOwn(out, key, value)
}

/**
 * One AnyValue; none of its fields set is "empty" and becomes null. Were several set (invalid OTLP),
 * the walker's order decides, as it did for protobufjs's output: string, bool, int, double, array,
 * kvlist, bytes.
 */
function anyValueOf(ctx: Ctx, depth: number): AttrValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new DepthError(`values nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`)
  const { r } = ctx
  const outer = enter(r)
  let text: string | undefined
  let bool: boolean | undefined
  let int: number | string | undefined
  let double: number | undefined
  let array: AttrValue[] | undefined
  let kvlist: Attributes | undefined
  let bytes: string | undefined
  while (r.pos < r.limit) {
    const tag = r.uint32()
    const field = tag >>> 3
    const wireType = tag & 7
    switch (field) {
      case 1:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        text = r.string()
        break
      case 2:
        expectWireType(wireType, VARINT, field, r.pos)
        bool = r.bool()
        break
      case 3:
        expectWireType(wireType, VARINT, field, r.pos)
        int = signedInt64(r)
        break
      case 4:
        expectWireType(wireType, FIXED64, field, r.pos)
        double = r.double()
        break
      case 5:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        array = arrayValueOf(ctx, depth)
        break
      case 6:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        kvlist = kvlistOf(ctx, depth)
        break
      case 7:
        expectWireType(wireType, LENGTH_DELIMITED, field, r.pos)
        bytes = r.bytesAs('base64')
        break
      default:
        r.skip(wireType, field)
    }
  }
  r.limit = outer
  return text ?? bool ?? int ?? double ?? array ?? kvlist ?? bytes ?? null
}

function arrayValueOf(ctx: Ctx, depth: number): AttrValue[] {
  const { r } = ctx
  const outer = enter(r)
  const values: AttrValue[] = []
  while (r.pos < r.limit) {
    const tag = r.uint32()
    if (tag >>> 3 !== 1) r.skip(tag & 7, tag >>> 3)
    else {
      expectWireType(tag & 7, LENGTH_DELIMITED, 1, r.pos)
      values.push(anyValueOf(ctx, depth + 1))
    }
  }
  r.limit = outer
  return values
}

function kvlistOf(ctx: Ctx, depth: number): Attributes {
  const { r } = ctx
  const outer = enter(r)
  const out: Attributes = {}
  while (r.pos < r.limit) {
    const tag = r.uint32()
    if (tag >>> 3 !== 1) r.skip(tag & 7, tag >>> 3)
    else {
      expectWireType(tag & 7, LENGTH_DELIMITED, 1, r.pos)
      keyValueInto(ctx, out, depth + 1)
    }
  }
  r.limit = outer
  return out
}

const TWO_32 = 4294967296
/** |high| below this: high × 2^32 + low is exact in a double. */
const EXACT_HIGH = 0x200000

/** fixed64 nanoseconds as a decimal string: today's epoch nanos (~1.8e18) are past 2^53. */
function unsignedDecimal(r: WireReader): string {
  const [low, high] = r.fixed64Parts()
  return high < EXACT_HIGH ? String(high * TWO_32 + low) : ((BigInt(high) << 32n) | BigInt(low)).toString()
}

/** int64: a number when it is a safe integer, else its decimal string (as OTLP/JSON spells it). */
function signedInt64(r: WireReader): number | string {
  const [low, high] = r.int64Parts()
  if (high >= -EXACT_HIGH && high < EXACT_HIGH) {
    const value = high * TWO_32 + low
    if (Number.isSafeInteger(value)) return value
  }
  return ((BigInt(high) << 32n) + BigInt(low)).toString()
}
