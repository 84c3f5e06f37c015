import { gzipSync } from 'node:zlib'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { decodeExportRequest, OtlpDecodeError } from './decode.js'
import { ExportTraceServiceRequest } from './otlp-proto.js'
import type { DecodedSpan } from './types.js'

const bytes = (hex: string): Uint8Array => Buffer.from(hex, 'hex')

/** Encodes a request with protobufjs itself (fromObject takes camelCase, int64 as strings, bytes as Uint8Array). */
function encodeRequest(span: Record<string, unknown>, resourceAttrs: unknown[] = []): Uint8Array {
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      { resource: { attributes: resourceAttrs }, scopeSpans: [{ scope: { name: 'sc', version: '2' }, spans: [span] }] },
    ],
  })
  return ExportTraceServiceRequest.encode(message).finish()
}

function onlySpan(body: Uint8Array): DecodedSpan {
  const spans = decodeExportRequest(body, 'protobuf').resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
  expect(spans).toHaveLength(1)
  return spans[0]!
}

describe('decodeExportRequest(protobuf)', () => {
  it('decodes a 0-byte body as an empty request', () => {
    expect(decodeExportRequest(new Uint8Array(0), 'protobuf')).toEqual({ resourceSpans: [] })
  })

  it('decodes every span field, ids as lower-case hex and times without precision loss', () => {
    const span = onlySpan(
      encodeRequest({
        traceId: bytes('5b8efff798038103d269b633813fc60c'),
        spanId: bytes('eee19b7ec3c1b174'),
        parentSpanId: bytes('eee19b7ec3c1b173'),
        traceState: 'k=v',
        name: 'chat gpt-4o',
        kind: 3,
        flags: 257,
        startTimeUnixNano: '1795326739611315614',
        endTimeUnixNano: '18446744073709551615',
        events: [
          { timeUnixNano: '1795326739611229041', name: 'evt', attributes: [{ key: 'k', value: { stringValue: 'v' } }] },
        ],
        links: [{ traceId: bytes('ab'.repeat(16)), spanId: bytes('cd'.repeat(8)) }],
        status: { code: 2, message: 'boom' },
      }),
    )
    expect(span).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      traceState: 'k=v',
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: '1795326739611315614',
      endTimeUnixNano: '18446744073709551615',
      attributes: {},
      events: [{ timeUnixNano: '1795326739611229041', name: 'evt', attributes: { k: 'v' } }],
      links: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: {} }],
      status: { code: 2, message: 'boom' },
    })
  })

  it('maps AnyValue like the JSON decoder: safe int64 → number, big → string, bytes → base64, structures', () => {
    const attributes = [
      { key: 'small', value: { intValue: '12' } },
      { key: 'zero', value: { intValue: '0' } },
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'neg', value: { intValue: '-9007199254740993' } },
      { key: 'dbl', value: { doubleValue: 0.5 } },
      { key: 'flag', value: { boolValue: false } },
      { key: 'empty-string', value: { stringValue: '' } },
      { key: 'blob', value: { bytesValue: Buffer.from('hello') } },
      { key: 'unset', value: {} },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'city', value: { stringValue: 'Paris' } }] } } },
    ]
    const span = onlySpan(encodeRequest({ name: 'n', attributes }))
    expect(span.attributes).toEqual({
      small: 12,
      zero: 0,
      big: '9223372036854775807',
      neg: '-9007199254740993',
      dbl: 0.5,
      flag: false,
      'empty-string': '',
      blob: 'aGVsbG8=',
      unset: null,
      arr: ['a', 2],
      kv: { city: 'Paris' },
    })
  })

  it('fills defaults for absent fields, including ids and times', () => {
    expect(onlySpan(encodeRequest({}))).toMatchObject({
      traceId: '',
      spanId: '',
      parentSpanId: '',
      name: '',
      kind: 0,
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      status: { code: 0, message: '' },
    })
  })

  it('passes ids of the wrong length through as hex (the normaliser rejects them)', () => {
    expect(onlySpan(encodeRequest({ traceId: bytes('0102'), spanId: bytes('') })).traceId).toBe('0102')
  })

  it('decodes resource and scope', () => {
    const body = encodeRequest({ name: 'n' }, [{ key: 'service.name', value: { stringValue: 'svc' } }])
    const request = decodeExportRequest(body, 'protobuf')
    expect(request.resourceSpans[0]?.resource).toEqual({ 'service.name': 'svc' })
    expect(request.resourceSpans[0]?.scopeSpans[0]?.scope).toEqual({ name: 'sc', version: '2', attributes: {} })
  })

  it.each([
    ['a length prefix past the end', '0affffffff0f'],
    ['an invalid wire type', '0f'],
    [
      'a truncated span',
      Buffer.from(encodeRequest({ name: 'truncated span name' }))
        .subarray(0, 12)
        .toString('hex'),
    ],
  ])('rejects garbage: %s', (_label, hex) => {
    const run = (): unknown => decodeExportRequest(bytes(hex), 'protobuf')
    expect(run).toThrow(OtlpDecodeError)
    expect(run).toThrow(/^Malformed protobuf ExportTraceServiceRequest \(\d+ bytes\): /)
  })

  it.each([
    ['a JSON body', Buffer.from('{"resourceSpans":[]}'), 'send Content-Type: application/json'],
    ['a gzip body without Content-Encoding', gzipSync(encodeRequest({ name: 'n' })), 'send Content-Encoding: gzip'],
  ])('names the likely cause for %s', (_label, body, hint) => {
    expect(() => decodeExportRequest(body, 'protobuf')).toThrow(hint)
  })

  /** A request of one span whose only attribute `k` has the AnyValue `write` writes, field by field. */
  function spanWithAnyValue(write: (w: protobuf.Writer) => void): Uint8Array {
    const value = protobuf.Writer.create()
    write(value)
    const keyValue = protobuf.Writer.create().uint32(0x0a).string('k').uint32(0x12).bytes(value.finish())
    const span = protobuf.Writer.create().uint32(0x2a).string('n').uint32(0x4a).bytes(keyValue.finish())
    const scopeSpans = protobuf.Writer.create().uint32(0x12).bytes(span.finish())
    const resourceSpans = protobuf.Writer.create().uint32(0x12).bytes(scopeSpans.finish())
    return protobuf.Writer.create().uint32(0x0a).bytes(resourceSpans.finish()).finish()
  }

  it('reads an AnyValue with several fields set (invalid OTLP) as before: string, bool, int, double first', () => {
    const value = (write: (w: protobuf.Writer) => void) => onlySpan(spanWithAnyValue(write)).attributes.k
    expect(value((w) => w.uint32(0x18).int64(7).uint32(0x0a).string('text'))).toBe('text')
    expect(value((w) => w.uint32(0x18).int64(7).uint32(0x10).bool(true))).toBe(true)
    expect(value((w) => w.uint32(0x21).double(0.5).uint32(0x18).int64(7))).toBe(7)
  })

  it('skips unknown fields of every wire type, groups included', () => {
    const attribute = onlySpan(
      spanWithAnyValue((w) => {
        w.uint32((20 << 3) | 0).uint64(123456789)
        w.uint32((21 << 3) | 1).fixed64(1)
        w.uint32((22 << 3) | 5).fixed32(1)
        w.uint32((23 << 3) | 2).string('ignored')
        w.uint32((24 << 3) | 3)
          .uint32((1 << 3) | 0)
          .uint32(5)
          .uint32((24 << 3) | 4)
        w.uint32(0x0a).string('kept')
      }),
    ).attributes.k
    expect(attribute).toBe('kept')
  })

  it('refuses a known field sent with another wire type, and an unmatched end group', () => {
    for (const body of [
      spanWithAnyValue((w) => w.uint32((1 << 3) | 0).uint32(5)),
      spanWithAnyValue((w) => w.uint32((24 << 3) | 3).uint32((25 << 3) | 4)),
    ])
      expect(() => decodeExportRequest(body, 'protobuf')).toThrow(/^Malformed protobuf ExportTraceServiceRequest/)
  })
})
