/**
 * Per-span caps applied while decoding (events, links, attributes), the counts of what was dropped,
 * and bodies whose shape alone made decoding expensive (deep nesting, huge lists).
 */
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { decodeExportRequest, DEFAULT_DECODE_LIMITS, OtlpDecodeError, type DecodeLimits } from './decode.js'
import { decodeRequestObject } from './decode-object.js'
import { readHexId } from './decode-json.js'
import { ExportTraceServiceRequest } from './otlp-proto.js'
import type { DecodedExportRequest, DecodedSpan } from './types.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const kv = (i: number) => ({ key: `k${i}`, value: { intValue: i } })
const range = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i))

function spansOf(request: DecodedExportRequest): DecodedSpan[] {
  return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
}

function decodeSpanJson(
  span: object,
  limits?: DecodeLimits,
  resource: object = {},
): { span: DecodedSpan; request: DecodedExportRequest } {
  const body = {
    resourceSpans: [
      { resource, scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), ...span }] }] },
    ],
  }
  const request = decodeExportRequest(utf8(JSON.stringify(body)), 'json', limits)
  return { span: spansOf(request)[0]!, request }
}

describe('events and links: the first 128 are kept (OTel SDK defaults), the rest counted', () => {
  it('cuts 1,000 events to 128 and counts 872 plus what the sender already dropped', () => {
    const { span } = decodeSpanJson({ events: range(1000, (i) => ({ name: `e${i}` })), droppedEventsCount: 5 })
    expect(span.events).toHaveLength(128)
    expect(span.events.at(-1)?.name).toBe('e127')
    expect(span.dropped).toEqual({ attributes: 0, events: 877, links: 0, limitsApplied: true })
  })

  it('cuts links the same way', () => {
    const { span } = decodeSpanJson({ links: range(130, () => ({ traceId: '01'.repeat(16), spanId: '02'.repeat(8) })) })
    expect(span.links).toHaveLength(128)
    expect(span.dropped).toEqual({ attributes: 0, events: 0, links: 2, limitsApplied: true })
  })

  it('never looks at elements past the cap, so a million of them cost nothing', () => {
    // Elements past the cap that are not even objects would be a 400 if they were walked.
    const events = [...range(3, (i) => ({ name: `e${i}` })), ...range(1_000_000, () => 7)]
    const { span } = decodeSpanJson({ events }, { ...DEFAULT_DECODE_LIMITS, maxEventsPerSpan: 3 })
    expect(span.events.map((e) => e.name)).toEqual(['e0', 'e1', 'e2'])
    expect(span.dropped?.events).toBe(1_000_000)
  })

  it('honours configured caps, including 0', () => {
    const { span } = decodeSpanJson(
      { events: [{ name: 'e' }], links: [{}] },
      { ...DEFAULT_DECODE_LIMITS, maxEventsPerSpan: 0, maxLinksPerSpan: 0 },
    )
    expect([span.events, span.links]).toEqual([[], []])
    expect(span.dropped).toEqual({ attributes: 0, events: 1, links: 1, limitsApplied: true })
  })
})

describe('attributes: the first 1,024 of each list are kept', () => {
  it('cuts span attributes and sums the drops of the span, its events and links, sender and ours', () => {
    const { span } = decodeSpanJson(
      {
        attributes: range(1030, kv),
        droppedAttributesCount: 1,
        events: [{ name: 'e', attributes: range(1025, kv), droppedAttributesCount: 2 }],
        links: [{ traceId: '01'.repeat(16), spanId: '02'.repeat(8), droppedAttributesCount: 3 }],
      },
      undefined,
    )
    expect(Object.keys(span.attributes)).toHaveLength(1024)
    expect(span.attributes['k1023']).toBe(1023)
    expect(span.attributes['k1024']).toBeUndefined()
    expect(Object.keys(span.events[0]!.attributes)).toHaveLength(1024)
    expect(span.dropped).toEqual({ attributes: 6 + 1 + 2 + 1 + 3, events: 0, links: 0, limitsApplied: true })
  })

  it('keeps every attribute of a span within the cap, and marks no loss', () => {
    const { span } = decodeSpanJson({ attributes: range(1024, kv), events: [{ name: 'e' }] })
    expect(Object.keys(span.attributes)).toHaveLength(1024)
    expect(span.dropped).toBeUndefined()
  })

  it("reports the sender's own drops without flagging our limits", () => {
    const { span } = decodeSpanJson({ droppedAttributesCount: 4, droppedEventsCount: '2', droppedLinksCount: 1 })
    expect(span.dropped).toEqual({ attributes: 4, events: 2, links: 1, limitsApplied: false })
  })

  it('caps resource attributes and counts their drops on the resource', () => {
    const { request } = decodeSpanJson(
      {},
      { ...DEFAULT_DECODE_LIMITS, maxAttributesPerSpan: 2 },
      { attributes: range(5, kv), droppedAttributesCount: 1 },
    )
    expect(request.resourceSpans[0]!.resource).toEqual({ k0: 0, k1: 1 })
    expect(request.resourceSpans[0]!.droppedResourceAttributes).toBe(4)
  })

  it.each([[-1], [1.5], ['x'], [2 ** 32]])('rejects droppedEventsCount %j, naming the field', (count) => {
    expect(() => decodeSpanJson({ droppedEventsCount: count })).toThrow(
      /spans\[0\]\.droppedEventsCount: expected an unsigned 32-bit count/,
    )
  })
})

describe('protobuf bodies get the same caps and read dropped_*_count', () => {
  it('cuts events and attributes and adds the sender counts', () => {
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.alloc(16, 1),
                  spanId: Buffer.alloc(8, 2),
                  name: 's',
                  attributes: range(1100, kv),
                  droppedAttributesCount: 10,
                  events: range(200, (i) => ({ name: `e${i}` })),
                  droppedEventsCount: 1,
                  links: [{ traceId: Buffer.alloc(16, 3), spanId: Buffer.alloc(8, 4) }],
                  droppedLinksCount: 2,
                },
              ],
            },
          ],
        },
      ],
    })
    const [span] = spansOf(decodeExportRequest(ExportTraceServiceRequest.encode(message).finish(), 'protobuf'))
    expect(span!.events).toHaveLength(128)
    expect(Object.keys(span!.attributes)).toHaveLength(1024)
    expect(span!.dropped).toEqual({ attributes: 76 + 10, events: 72 + 1, links: 2, limitsApplied: true })
  })
})

describe('bodies whose shape alone was expensive are a 400, never a RangeError (500)', () => {
  it('rejects a 10 MB [[[…]]] body before parsing it', () => {
    const deep = 5_000_000
    const started = performance.now()
    const run = () => decodeExportRequest(utf8('['.repeat(deep) + ']'.repeat(deep)), 'json')
    expect(run).toThrow(OtlpDecodeError)
    expect(run).toThrow(/nested deeper than 270 levels/)
    // JSON.parse alone took 4 s on this body; the depth check stops after 271 bytes.
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('accepts the deepest valid request (kvlists nested 64 deep in an event attribute)', () => {
    let value: object = { kvlistValue: { values: [] } }
    for (let d = 0; d < 64; d++) value = { kvlistValue: { values: [{ key: `k${d}`, value }] } }
    const { span } = decodeSpanJson({ events: [{ name: 'e', attributes: [{ key: 'deep', value }] }] })
    expect(span.events[0]!.attributes['deep']).toBeTypeOf('object')
  })

  it('describes a deeply nested value of the wrong type briefly, without serialising it', () => {
    let value: unknown = []
    for (let i = 0; i < 1_000_000; i++) value = [value]
    expect(() => decodeRequestObject({ resourceSpans: [value] }, readHexId)).toThrow(
      'resourceSpans[0]: expected an object, got [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...',
    )
  })

  it('rejects protobuf AnyValues nested past the decoder limit', () => {
    const w = protobuf.Writer.create()
    // request.resourceSpans → scopeSpans → spans → attributes → KeyValue.value → arrayValue.values → …
    w.uint32(0x0a)
      .fork()
      .uint32(0x12)
      .fork()
      .uint32(0x12)
      .fork()
      .uint32(0x4a)
      .fork()
      .uint32(0x0a)
      .string('k')
      .uint32(0x12)
      .fork()
    for (let i = 0; i < 50_000; i++) w.uint32(0x2a).fork().uint32(0x0a).fork()
    for (let i = 0; i < 50_000; i++) w.ldelim().ldelim()
    const body = w.ldelim().ldelim().ldelim().ldelim().ldelim().finish()
    expect(() => decodeExportRequest(body, 'protobuf')).toThrow(OtlpDecodeError)
  })
})
