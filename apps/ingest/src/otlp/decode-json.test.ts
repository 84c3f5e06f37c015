import { EDGE_DIR, readCorpus } from '@sightline/testkit/corpus'
import { describe, expect, it } from 'vitest'
import { decodeExportRequest, OtlpDecodeError } from './decode.js'
import type { DecodedExportRequest, DecodedSpan } from './types.js'

const edge = (name: string): Uint8Array => readCorpus(name, EDGE_DIR)
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const decodeJson = (text: string): DecodedExportRequest => decodeExportRequest(utf8(text), 'json')

function onlySpan(request: DecodedExportRequest): DecodedSpan {
  const spans = request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
  expect(spans).toHaveLength(1)
  return spans[0]!
}

/** A one-span request whose span fields are `spanJson` (a JSON object body without braces). */
function requestWithSpan(spanJson: string): string {
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[{${spanJson}}]}]}]}`
}

function decodeError(run: () => unknown): OtlpDecodeError {
  try {
    run()
  } catch (err) {
    expect(err).toBeInstanceOf(OtlpDecodeError)
    return err as OtlpDecodeError
  }
  throw new Error('expected an OtlpDecodeError')
}

describe('decodeExportRequest(json): edge-cases/MANIFEST.md', () => {
  it.each(['empty-request.otlp.json', 'empty-resourceSpans.otlp.json'])('%s is an empty request', (file) => {
    expect(decodeExportRequest(edge(file), 'json')).toEqual({ resourceSpans: [] })
  })

  it('int64-as-string: intValue "12" becomes the number 12', () => {
    const span = onlySpan(decodeExportRequest(edge('int64-as-string.otlp.json'), 'json'))
    expect(span.attributes).toEqual({ 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 7 })
  })

  it('uppercase-hex-ids: ids become lower-case', () => {
    const span = onlySpan(decodeExportRequest(edge('uppercase-hex-ids.otlp.json'), 'json'))
    expect(span.traceId).toBe('5b8efff798038103d269b633813fc60c')
    expect(span.spanId).toBe('eee19b7ec3c1b174')
    expect(span.parentSpanId).toBe('eee19b7ec3c1b173')
  })

  it('structured-kvlist-messages: arrayValue/kvlistValue become structures, bytes stay base64', () => {
    const span = onlySpan(decodeExportRequest(edge('structured-kvlist-messages.otlp.json'), 'json'))
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }],
      'gen_ai.tool.call.arguments': { city: 'Paris' },
      blob: 'aGVsbG8=',
    })
  })

  it('unknown-fields-ignored: decodes as if the unknown fields were absent', () => {
    const request = decodeExportRequest(edge('unknown-fields-ignored.otlp.json'), 'json')
    const span = onlySpan(request)
    expect(span.attributes).toEqual({ a: 'b' })
    expect(span.name).toBe('chat gpt-4o')
    expect(request.resourceSpans[0]?.resource).toEqual({ 'service.name': 'edge-case' })
  })

  it('orphan-parent-and-out-of-order: decodes both spans untouched (the normaliser flags them)', () => {
    const request = decodeExportRequest(edge('orphan-parent-and-out-of-order.otlp.json'), 'json')
    const spans = request.resourceSpans[0]?.scopeSpans[0]?.spans ?? []
    expect(spans.map((s) => [s.spanId, s.parentSpanId])).toEqual([
      ['0000000000000002', '00000000000000ff'],
      ['0000000000000001', ''],
    ])
    expect(spans[1]?.startTimeUnixNano).toBe('1700000002000000000')
    expect(spans[1]?.endTimeUnixNano).toBe('1700000001000000000')
  })

  it('INVALID-base64-ids: rejects the request, naming the field and the base64 mistake', () => {
    const err = decodeError(() => decodeExportRequest(edge('INVALID-base64-ids.otlp.json'), 'json'))
    expect(err.path).toBe('resourceSpans[0].scopeSpans[0].spans[0].traceId')
    expect(err.message).toBe(
      'resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex characters, ' +
        'got "W47/95gDgQPSabYzgT/GDA==" (OTLP/JSON ids are hex, not base64)',
    )
  })

  it('INVALID-enum-name-kind: rejects enum names', () => {
    const err = decodeError(() => decodeExportRequest(edge('INVALID-enum-name-kind.otlp.json'), 'json'))
    expect(err.path).toBe('resourceSpans[0].scopeSpans[0].spans[0].kind')
    expect(err.message).toContain('"SPAN_KIND_CLIENT"')
    expect(err.message).toContain('enum names MUST NOT be used')
  })
})

describe('decodeExportRequest(json): value shapes', () => {
  it('fills defaults for a span with no optional fields', () => {
    expect(onlySpan(decodeJson(requestWithSpan('"name":"x"')))).toEqual({
      traceId: '',
      spanId: '',
      parentSpanId: '',
      traceState: '',
      name: 'x',
      kind: 0,
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      attributes: {},
      events: [],
      links: [],
      status: { code: 0, message: '' },
    })
  })

  it('accepts snake_case field names and numeric timestamps', () => {
    const body = `{"resource_spans":[{"scope_spans":[{"scope":{"name":"s","version":"1"},"spans":[{
      "trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","parent_span_id":"",
      "start_time_unix_nano":1700000000000000000,"end_time_unix_nano":"1700000001000000000",
      "attributes":[{"key":"n","value":{"int_value":"5"}},{"key":"s","value":{"string_value":"v"}}],
      "status":{"code":2,"message":"boom"}}]}]}]}`
    const request = decodeJson(body)
    const span = onlySpan(request)
    expect(request.resourceSpans[0]?.scopeSpans[0]?.scope).toEqual({ name: 's', version: '1', attributes: {} })
    expect(span.traceId).toBe('5b8efff798038103d269b633813fc60c')
    expect(span.startTimeUnixNano).toBe('1700000000000000000')
    expect(span.attributes).toEqual({ n: 5, s: 'v' })
    expect(span.status).toEqual({ code: 2, message: 'boom' })
  })

  it('keeps int64 beyond 2^53 as a decimal string, and handles every scalar kind', () => {
    const attrs = [
      '{"key":"big","value":{"intValue":"9007199254740993"}}',
      '{"key":"neg","value":{"intValue":"-3"}}',
      '{"key":"num","value":{"intValue":42}}',
      '{"key":"d","value":{"doubleValue":0.25}}',
      '{"key":"nan","value":{"doubleValue":"NaN"}}',
      '{"key":"b","value":{"boolValue":false}}',
      '{"key":"empty","value":{}}',
      '{"key":"es","value":{"stringValue":""}}',
      '{"key":"__proto__","value":{"stringValue":"not a prototype"}}',
    ]
    const span = onlySpan(decodeJson(requestWithSpan(`"attributes":[${attrs.join(',')}]`)))
    expect(span.attributes['big']).toBe('9007199254740993')
    expect(span.attributes['neg']).toBe(-3)
    expect(span.attributes['num']).toBe(42)
    expect(span.attributes['d']).toBe(0.25)
    expect(span.attributes['nan']).toBeNaN()
    expect(span.attributes['b']).toBe(false)
    expect(span.attributes['empty']).toBeNull()
    expect(span.attributes['es']).toBe('')
    expect(Object.getPrototypeOf(span.attributes)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value).toBe('not a prototype')
  })

  it('decodes events and links', () => {
    const span = onlySpan(
      decodeJson(
        requestWithSpan(`"events":[{"timeUnixNano":"17","name":"e",
      "attributes":[{"key":"k","value":{"stringValue":"v"}}]}],
      "links":[{"traceId":"AB000000000000000000000000000001","spanId":"CD00000000000002"}]`),
      ),
    )
    expect(span.events).toEqual([{ timeUnixNano: '17', name: 'e', attributes: { k: 'v' } }])
    expect(span.links).toEqual([
      { traceId: 'ab000000000000000000000000000001', spanId: 'cd00000000000002', attributes: {} },
    ])
  })

  it('passes hex ids of the wrong length through for the normaliser to reject', () => {
    expect(onlySpan(decodeJson(requestWithSpan('"traceId":"abc","spanId":""'))).traceId).toBe('abc')
  })
})

describe('decodeExportRequest(json): rejections', () => {
  it.each([
    ['', { resourceSpans: [] }],
    ['  \n', { resourceSpans: [] }],
  ])('treats body %j as an empty request', (body, expected) => {
    expect(decodeJson(body)).toEqual(expected)
  })

  it.each([
    ['{"resourceSpans":[', 'Malformed JSON: '],
    ['[]', 'expected an ExportTraceServiceRequest object, got []'],
    ['{"resourceSpans":{}}', 'resourceSpans: expected an array, got {}'],
    [
      requestWithSpan('"spanId":"zz00000000000000"'),
      'resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 16 hex characters, got "zz00000000000000"',
    ],
    [
      requestWithSpan('"startTimeUnixNano":"-1"'),
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected unsigned integer nanoseconds',
    ],
    [requestWithSpan('"kind":1.5'), 'spans[0].kind: expected an integer enum value, got 1.5'],
    [requestWithSpan('"name":7'), 'spans[0].name: expected a string, got 7'],
    [
      requestWithSpan('"attributes":[{"key":"k","value":{"intValue":"1.5"}}]'),
      'spans[0].attributes[0].value.intValue: expected an integer',
    ],
    [
      requestWithSpan('"attributes":[{"key":"k","value":{"bytesValue":"not base64!"}}]'),
      'attributes[0].value.bytesValue: expected a base64 string',
    ],
    [requestWithSpan('"status":{"code":"STATUS_CODE_ERROR"}'), 'spans[0].status.code: expected an integer enum value'],
  ])('rejects %s', (body, message) => {
    expect(decodeError(() => decodeJson(body)).message).toContain(message)
  })

  it('rejects invalid UTF-8', () => {
    const err = decodeError(() => decodeExportRequest(new Uint8Array([0x7b, 0xff, 0x7d]), 'json'))
    expect(err.message).toBe('Malformed JSON: body is not valid UTF-8')
  })

  it('rejects AnyValues nested past 64 levels (deeper JSON is refused before parsing: decode-limits.test.ts)', () => {
    const depth = 70
    const value = '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"x"}' + ']}}'.repeat(depth)
    const err = decodeError(() => decodeJson(requestWithSpan(`"attributes":[{"key":"deep","value":${value}}]`)))
    expect(err.message).toContain('nested deeper than 64 levels')
  })
})
