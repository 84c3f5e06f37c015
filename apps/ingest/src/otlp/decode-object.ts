/**
 * Walks a proto3-JSON-shaped ExportTraceServiceRequest into `DecodedExportRequest`: how OTLP/JSON
 * bodies are read. Protobuf bodies are read in one pass by decode-protobuf.ts into the same result;
 * its property test runs this walker over protobufjs's `toObject` output as the reference (ids as
 * raw bytes there, hex in OTLP/JSON: the caller supplies `readId`).
 */
import type {
  DecodedEvent,
  DecodedExportRequest,
  DecodedLink,
  DecodedResourceSpans,
  DecodedScopeSpans,
  DecodedSpan,
} from './types.js'
import { toAttributes } from './any-value.js'
import { OtlpDecodeError } from './decode-error.js'
import {
  droppedCount,
  enumNumber,
  getField,
  isRecord,
  optionalRecord,
  optionalString,
  preview,
  recordList,
  recordListHead,
  unixNano,
  type JsonRecord,
} from './fields.js'

/** Returns a lower-case hex id. `byteLength` is the expected size (16 trace, 8 span), for messages. */
export type IdReader = (raw: unknown, path: string, byteLength: number) => string

/**
 * Per-span caps applied while decoding: what is past them is counted, never decoded. The events and
 * links caps are the OTel SDK defaults; the attribute cap applies to each list (span, resource,
 * scope, event, link) and is generous because OpenInference flattens every message into indexed keys.
 */
export interface DecodeLimits {
  maxEventsPerSpan: number
  maxLinksPerSpan: number
  maxAttributesPerSpan: number
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxEventsPerSpan: 128,
  maxLinksPerSpan: 128,
  maxAttributesPerSpan: 1024,
}

interface Ctx {
  readId: IdReader
  limits: DecodeLimits
}

/** Attribute losses of one span, summed over the span, its events and its links. */
interface AttributeLoss {
  bySender: number
  cut: number
}

function readIdField(obj: JsonRecord, name: string, path: string, byteLength: number, readId: IdReader): string {
  const raw = getField(obj, name)
  return raw === undefined ? '' : readId(raw, `${path}.${name}`, byteLength)
}

function attributesOf(obj: JsonRecord, path: string, ctx: Ctx, loss: AttributeLoss): DecodedEvent['attributes'] {
  const capped = toAttributes(obj, 'attributes', path, ctx.limits.maxAttributesPerSpan)
  loss.bySender += capped.droppedBySender
  loss.cut += capped.cut
  return capped.attributes
}

function decodeEvent(event: JsonRecord, path: string, ctx: Ctx, loss: AttributeLoss): DecodedEvent {
  return {
    timeUnixNano: unixNano(event, 'timeUnixNano', path),
    name: optionalString(event, 'name', path),
    attributes: attributesOf(event, path, ctx, loss),
  }
}

function decodeLink(link: JsonRecord, path: string, ctx: Ctx, loss: AttributeLoss): DecodedLink {
  return {
    traceId: readIdField(link, 'traceId', path, 16, ctx.readId),
    spanId: readIdField(link, 'spanId', path, 8, ctx.readId),
    attributes: attributesOf(link, path, ctx, loss),
  }
}

function decodeStatus(span: JsonRecord, path: string): DecodedSpan['status'] {
  const status = optionalRecord(span, 'status', path)
  if (status === undefined) return { code: 0, message: '' }
  const statusPath = `${path}.status`
  return { code: enumNumber(status, 'code', statusPath), message: optionalString(status, 'message', statusPath) }
}

function decodeSpan(span: JsonRecord, path: string, ctx: Ctx): DecodedSpan {
  const loss: AttributeLoss = { bySender: 0, cut: 0 }
  const events = recordListHead(span, 'events', path, ctx.limits.maxEventsPerSpan)
  const links = recordListHead(span, 'links', path, ctx.limits.maxLinksPerSpan)
  const decoded: DecodedSpan = {
    traceId: readIdField(span, 'traceId', path, 16, ctx.readId),
    spanId: readIdField(span, 'spanId', path, 8, ctx.readId),
    parentSpanId: readIdField(span, 'parentSpanId', path, 8, ctx.readId),
    traceState: optionalString(span, 'traceState', path),
    name: optionalString(span, 'name', path),
    kind: enumNumber(span, 'kind', path),
    startTimeUnixNano: unixNano(span, 'startTimeUnixNano', path),
    endTimeUnixNano: unixNano(span, 'endTimeUnixNano', path),
    attributes: attributesOf(span, path, ctx, loss),
    events: events.items.map((e, i) => decodeEvent(e, `${path}.events[${i}]`, ctx, loss)),
    links: links.items.map((l, i) => decodeLink(l, `${path}.links[${i}]`, ctx, loss)),
    status: decodeStatus(span, path),
  }
  const cutEvents = events.total - events.items.length
  const cutLinks = links.total - links.items.length
  const dropped = {
    attributes: loss.bySender + loss.cut,
    events: droppedCount(span, 'droppedEventsCount', path) + cutEvents,
    links: droppedCount(span, 'droppedLinksCount', path) + cutLinks,
    limitsApplied: loss.cut + cutEvents + cutLinks > 0,
  }
  if (dropped.attributes + dropped.events + dropped.links > 0) decoded.dropped = dropped
  return decoded
}

function decodeScopeSpans(scopeSpans: JsonRecord, path: string, ctx: Ctx): DecodedScopeSpans {
  const scope = optionalRecord(scopeSpans, 'scope', path) ?? {}
  const scopePath = `${path}.scope`
  return {
    scope: {
      name: optionalString(scope, 'name', scopePath),
      version: optionalString(scope, 'version', scopePath),
      // Scope attributes are not stored; capped only so that they cost bounded time.
      attributes: toAttributes(scope, 'attributes', scopePath, ctx.limits.maxAttributesPerSpan).attributes,
    },
    spans: recordList(scopeSpans, 'spans', path).map((s, i) => decodeSpan(s, `${path}.spans[${i}]`, ctx)),
  }
}

function decodeResourceSpans(resourceSpans: JsonRecord, path: string, ctx: Ctx): DecodedResourceSpans {
  const resource = optionalRecord(resourceSpans, 'resource', path) ?? {}
  const capped = toAttributes(resource, 'attributes', `${path}.resource`, ctx.limits.maxAttributesPerSpan)
  const decoded: DecodedResourceSpans = {
    resource: capped.attributes,
    scopeSpans: recordList(resourceSpans, 'scopeSpans', path).map((s, i) =>
      decodeScopeSpans(s, `${path}.scopeSpans[${i}]`, ctx),
    ),
  }
  if (capped.droppedBySender + capped.cut > 0) decoded.droppedResourceAttributes = capped.droppedBySender + capped.cut
  return decoded
}

/** `request` is the whole body as an object; unknown fields anywhere are ignored, as the spec requires. */
export function decodeRequestObject(
  request: unknown,
  readId: IdReader,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodedExportRequest {
  if (!isRecord(request)) {
    throw OtlpDecodeError.at('', `expected an ExportTraceServiceRequest object, got ${preview(request)}`)
  }
  const ctx: Ctx = { readId, limits }
  return {
    resourceSpans: recordList(request, 'resourceSpans', '').map((r, i) =>
      decodeResourceSpans(r, `resourceSpans[${i}]`, ctx),
    ),
  }
}
