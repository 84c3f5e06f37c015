/**
 * Walks a proto3-JSON-shaped ExportTraceServiceRequest into `DecodedExportRequest`. Both encodings
 * end here, so JSON and protobuf bodies decode identically; they differ only in how ids are spelled
 * (hex in OTLP/JSON, base64 in protobufjs `toObject` output), which the caller supplies as `readId`.
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
  enumNumber,
  getField,
  isRecord,
  optionalRecord,
  optionalString,
  preview,
  recordList,
  unixNano,
  type JsonRecord,
} from './fields.js'

/** Returns a lower-case hex id. `byteLength` is the expected size (16 trace, 8 span), for messages. */
export type IdReader = (raw: unknown, path: string, byteLength: number) => string

function readIdField(obj: JsonRecord, name: string, path: string, byteLength: number, readId: IdReader): string {
  const raw = getField(obj, name)
  return raw === undefined ? '' : readId(raw, `${path}.${name}`, byteLength)
}

function decodeEvent(event: JsonRecord, path: string): DecodedEvent {
  return {
    timeUnixNano: unixNano(event, 'timeUnixNano', path),
    name: optionalString(event, 'name', path),
    attributes: toAttributes(event, 'attributes', path),
  }
}

function decodeLink(link: JsonRecord, path: string, readId: IdReader): DecodedLink {
  return {
    traceId: readIdField(link, 'traceId', path, 16, readId),
    spanId: readIdField(link, 'spanId', path, 8, readId),
    attributes: toAttributes(link, 'attributes', path),
  }
}

function decodeStatus(span: JsonRecord, path: string): DecodedSpan['status'] {
  const status = optionalRecord(span, 'status', path)
  if (status === undefined) return { code: 0, message: '' }
  const statusPath = `${path}.status`
  return { code: enumNumber(status, 'code', statusPath), message: optionalString(status, 'message', statusPath) }
}

function decodeSpan(span: JsonRecord, path: string, readId: IdReader): DecodedSpan {
  return {
    traceId: readIdField(span, 'traceId', path, 16, readId),
    spanId: readIdField(span, 'spanId', path, 8, readId),
    parentSpanId: readIdField(span, 'parentSpanId', path, 8, readId),
    traceState: optionalString(span, 'traceState', path),
    name: optionalString(span, 'name', path),
    kind: enumNumber(span, 'kind', path),
    startTimeUnixNano: unixNano(span, 'startTimeUnixNano', path),
    endTimeUnixNano: unixNano(span, 'endTimeUnixNano', path),
    attributes: toAttributes(span, 'attributes', path),
    events: recordList(span, 'events', path).map((e, i) => decodeEvent(e, `${path}.events[${i}]`)),
    links: recordList(span, 'links', path).map((l, i) => decodeLink(l, `${path}.links[${i}]`, readId)),
    status: decodeStatus(span, path),
  }
}

function decodeScopeSpans(scopeSpans: JsonRecord, path: string, readId: IdReader): DecodedScopeSpans {
  const scope = optionalRecord(scopeSpans, 'scope', path) ?? {}
  const scopePath = `${path}.scope`
  return {
    scope: {
      name: optionalString(scope, 'name', scopePath),
      version: optionalString(scope, 'version', scopePath),
      attributes: toAttributes(scope, 'attributes', scopePath),
    },
    spans: recordList(scopeSpans, 'spans', path).map((s, i) => decodeSpan(s, `${path}.spans[${i}]`, readId)),
  }
}

function decodeResourceSpans(resourceSpans: JsonRecord, path: string, readId: IdReader): DecodedResourceSpans {
  const resource = optionalRecord(resourceSpans, 'resource', path) ?? {}
  return {
    resource: toAttributes(resource, 'attributes', `${path}.resource`),
    scopeSpans: recordList(resourceSpans, 'scopeSpans', path).map((s, i) =>
      decodeScopeSpans(s, `${path}.scopeSpans[${i}]`, readId),
    ),
  }
}

/** `request` is the whole body as an object; unknown fields anywhere are ignored, as the spec requires. */
export function decodeRequestObject(request: unknown, readId: IdReader): DecodedExportRequest {
  if (!isRecord(request)) {
    throw OtlpDecodeError.at('', `expected an ExportTraceServiceRequest object, got ${preview(request)}`)
  }
  return {
    resourceSpans: recordList(request, 'resourceSpans', '').map((r, i) =>
      decodeResourceSpans(r, `resourceSpans[${i}]`, readId),
    ),
  }
}
