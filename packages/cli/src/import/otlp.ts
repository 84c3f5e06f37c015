/**
 * The OTLP/JSON `ExportTraceServiceRequest` shape the importers emit, and a builder that fills in
 * deterministic ids. Only the subset of OTLP we write is typed here: the server is the judge of
 * the wire format, and the converters should not be able to emit anything else.
 */
import { spanIdFor, traceIdFor } from './ids.js'

type AnyValue = { stringValue: string } | { intValue: number } | { doubleValue: number } | { boolValue: boolean }
export interface KeyValue {
  key: string
  value: AnyValue
}
interface OtlpEvent {
  name: string
  timeUnixNano: string
  attributes: KeyValue[]
}
export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: KeyValue[]
  status: { code: number; message?: string }
  events: OtlpEvent[]
}
export interface ResourceSpans {
  resource: { attributes: KeyValue[] }
  scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>
}
export interface ExportTraceServiceRequest {
  resourceSpans: ResourceSpans[]
}

export const SpanKind = { INTERNAL: 1, CLIENT: 3 } as const
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const

/** Attribute input: undefined/null values are dropped so converters can pass optional fields as-is. */
type AttrInput = string | number | boolean | null | undefined
export type AttrMap = Record<string, AttrInput>

const SCOPE = { name: '@sightline/cli import', version: '0.1.0' }

export function toKeyValues(attrs: AttrMap): KeyValue[] {
  const out: KeyValue[] = []
  for (const [key, raw] of Object.entries(attrs)) {
    if (raw === undefined || raw === null) continue
    out.push({ key, value: toAnyValue(raw) })
  }
  return out
}

function toAnyValue(value: string | number | boolean): AnyValue {
  if (typeof value === 'string') return { stringValue: value }
  if (typeof value === 'boolean') return { boolValue: value }
  return Number.isInteger(value) ? { intValue: value } : { doubleValue: value }
}

export interface SpanSpec {
  /** Unique within the trace; hashed into the span id. */
  key: string
  parent?: string
  name: string
  kind: number
  startNs: bigint
  endNs: bigint
  attributes: AttrMap
  error?: { type: string; message: string }
  events?: Array<{ name: string; timeNs: bigint; attributes: AttrMap }>
}

/**
 * One trace: spans are addressed by caller-chosen keys, so a re-import of the same file produces
 * the same ids and the server deduplicates instead of doubling the run.
 */
export class TraceBuilder {
  readonly traceId: string
  private readonly spans: OtlpSpan[] = []

  constructor(
    seed: string,
    private readonly resource: AttrMap,
  ) {
    this.traceId = traceIdFor(seed)
  }

  spanId(key: string): string {
    return spanIdFor(this.traceId, key)
  }

  add(spec: SpanSpec): string {
    const spanId = this.spanId(spec.key)
    const attrs = spec.error ? { ...spec.attributes, 'error.type': spec.error.type } : spec.attributes
    const end = spec.endNs < spec.startNs ? spec.startNs : spec.endNs
    this.spans.push({
      traceId: this.traceId,
      spanId,
      ...(spec.parent === undefined ? {} : { parentSpanId: this.spanId(spec.parent) }),
      name: spec.name,
      kind: spec.kind,
      startTimeUnixNano: spec.startNs.toString(),
      endTimeUnixNano: end.toString(),
      attributes: toKeyValues(attrs),
      status: spec.error ? { code: StatusCode.ERROR, message: spec.error.message } : { code: StatusCode.UNSET },
      events: (spec.events ?? []).map((e) => ({
        name: e.name,
        timeUnixNano: e.timeNs.toString(),
        attributes: toKeyValues(e.attributes),
      })),
    })
    return spanId
  }

  build(): ResourceSpans {
    // Root first: converters often know the root's end only after its children, but readers of the
    // dry-run output expect the tree top-down.
    const spans = [...this.spans.filter((s) => !s.parentSpanId), ...this.spans.filter((s) => s.parentSpanId)]
    return { resource: { attributes: toKeyValues(this.resource) }, scopeSpans: [{ scope: SCOPE, spans }] }
  }
}
