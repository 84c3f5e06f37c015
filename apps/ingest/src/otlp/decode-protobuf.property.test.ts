/**
 * The one-pass protobuf decoder against the path it replaced, on random requests: protobufjs decodes
 * the body, `toObject` makes proto3-JSON-shaped objects and the walker shared with OTLP/JSON reads
 * them. Both must give the same `DecodedExportRequest` under any caps, and mangled bodies must only
 * ever be refused as the client's fault (OtlpDecodeError, a 400), never crash the request.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeExportRequest, OtlpDecodeError } from './decode.js'
import { decodeRequestObject, type DecodeLimits } from './decode-object.js'
import { ExportTraceServiceRequest } from './otlp-proto.js'

function throughProtobufjs(body: Uint8Array, limits: DecodeLimits) {
  const message = ExportTraceServiceRequest.decode(Buffer.from(body))
  const object = ExportTraceServiceRequest.toObject(message, { enums: Number, defaults: false })
  const readId = (raw: unknown) => {
    const bytes = raw as Uint8Array
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')
  }
  return decodeRequestObject(object, readId, limits)
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max })
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }))
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String)
const int64 = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom('9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992'),
)
const uint32 = fc.integer({ min: 0, max: 0xffffffff })

const { anyValue } = fc.letrec<{ anyValue: Record<string, unknown>; keyValue: Record<string, unknown> }>((tie) => ({
  anyValue: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant({}),
    text.map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    int64.map((intValue) => ({ intValue })),
    fc.double().map((doubleValue) => ({ doubleValue })),
    bytes(6).map((bytesValue) => ({ bytesValue })),
    fc.array(tie('anyValue'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie('keyValue'), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
  ),
  keyValue: fc.record(
    { key: fc.oneof(text, fc.constantFrom('__proto__', 'gen_ai.system', 'k')), value: tie('anyValue') },
    { requiredKeys: [] },
  ),
}))
const keyValue = fc.record({ key: fc.oneof(text, fc.constant('__proto__')), value: anyValue }, { requiredKeys: [] })
const attributes = fc.array(keyValue, { maxLength: 5 })

const span = fc.record(
  {
    traceId: bytes(18),
    spanId: bytes(10),
    parentSpanId: bytes(10),
    traceState: text,
    name: text,
    kind: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
    flags: uint32,
    startTimeUnixNano: uint64,
    endTimeUnixNano: uint64,
    attributes,
    droppedAttributesCount: uint32,
    events: fc.array(
      fc.record({ timeUnixNano: uint64, name: text, attributes, droppedAttributesCount: uint32 }, { requiredKeys: [] }),
      { maxLength: 4 },
    ),
    droppedEventsCount: uint32,
    links: fc.array(
      fc.record(
        { traceId: bytes(16), spanId: bytes(8), traceState: text, attributes, droppedAttributesCount: uint32 },
        { requiredKeys: [] },
      ),
      { maxLength: 4 },
    ),
    droppedLinksCount: uint32,
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: text }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
)

const request = fc.record({
  resourceSpans: fc.array(
    fc.record(
      {
        resource: fc.record({ attributes, droppedAttributesCount: uint32 }, { requiredKeys: [] }),
        scopeSpans: fc.array(
          fc.record(
            {
              scope: fc.record(
                { name: text, version: text, attributes, droppedAttributesCount: uint32 },
                { requiredKeys: [] },
              ),
              spans: fc.array(span, { maxLength: 3 }),
              schemaUrl: text,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 2 },
  ),
})

const limits: fc.Arbitrary<DecodeLimits> = fc.record({
  maxEventsPerSpan: fc.integer({ min: 0, max: 5 }),
  maxLinksPerSpan: fc.integer({ min: 0, max: 5 }),
  maxAttributesPerSpan: fc.integer({ min: 0, max: 6 }),
})

const encode = (value: Record<string, unknown>) =>
  ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(value)).finish()

describe('decodeExportRequest(protobuf) against protobufjs + toObject + the shared walker', () => {
  it('gives the same request for any request and any caps', () => {
    fc.assert(
      fc.property(request, limits, (value, caps) => {
        const body = encode(value)
        expect(decodeExportRequest(body, 'protobuf', caps)).toEqual(throughProtobufjs(body, caps))
      }),
      { numRuns: 400 },
    )
  })

  it('refuses a mangled body only as the client’s error', () => {
    fc.assert(
      fc.property(
        request,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (value, flips, cut) => {
          const body = Buffer.from(encode(value))
          for (const [at, byte] of flips) if (body.length > 0) body[at % body.length] = byte
          const mangled = body.subarray(0, body.length === 0 ? 0 : cut % (body.length + 1))
          try {
            decodeExportRequest(mangled, 'protobuf')
          } catch (error) {
            expect(error).toBeInstanceOf(OtlpDecodeError)
          }
        },
      ),
      { numRuns: 400 },
    )
  })
})
