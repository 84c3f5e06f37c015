/**
 * OTLP trace data after decoding, identical for JSON and protobuf bodies: the normaliser never
 * knows which encoding a span came in.
 *
 * Values: int64 become `number` when they fit in 2^53, else a decimal string; bytes become
 * base64 strings; arrayValue becomes an array; kvlistValue becomes a plain object.
 */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue }
export type Attributes = Record<string, AttrValue>

export interface DecodedEvent {
  /** Unix epoch nanoseconds, decimal string. */
  timeUnixNano: string
  name: string
  attributes: Attributes
}

export interface DecodedLink {
  traceId: string
  spanId: string
  attributes: Attributes
}

export interface DecodedSpan {
  /** Lower-case hex; 32 chars. May be invalid (empty, wrong length, all zeros): the normaliser rejects such spans. */
  traceId: string
  /** Lower-case hex; 16 chars. */
  spanId: string
  /** Lower-case hex, or '' for a root span. */
  parentSpanId: string
  traceState: string
  name: string
  /** OTLP SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number
  /** Unix epoch nanoseconds, decimal strings ('0' when absent). */
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Attributes
  events: DecodedEvent[]
  links: DecodedLink[]
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string }
  /** Absent when nothing was left out. */
  dropped?: DroppedCounts
}

/** What a span lost: counted by the sender's SDK (OTLP `dropped_*_count`) plus what our limits cut. */
export interface DroppedCounts {
  /** The span's own attributes and those of its events and links. */
  attributes: number
  events: number
  links: number
  /** True when our limits cut something; otherwise only the sender dropped. */
  limitsApplied: boolean
}

export interface DecodedScopeSpans {
  scope: { name: string; version: string; attributes: Attributes }
  spans: DecodedSpan[]
}

export interface DecodedResourceSpans {
  resource: Attributes
  /** Resource attributes left out by the sender or by our limit; absent when none were. */
  droppedResourceAttributes?: number
  scopeSpans: DecodedScopeSpans[]
}

export interface DecodedExportRequest {
  resourceSpans: DecodedResourceSpans[]
}
