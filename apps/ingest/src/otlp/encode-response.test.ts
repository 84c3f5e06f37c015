import { describe, expect, it } from 'vitest'
import { encodeExportResponse, encodeStatus, GrpcCode } from './encode-response.js'
import { ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js'

const TO_OBJECT = { longs: Number, defaults: false } as const

function asBytes(body: Uint8Array | string): Uint8Array {
  if (typeof body === 'string') throw new Error('expected a binary body')
  return body
}

describe('encodeExportResponse', () => {
  it('answers a full success with {} in JSON', () => {
    expect(encodeExportResponse('json')).toEqual({ body: '{}', contentType: 'application/json' })
    expect(encodeExportResponse('json', { rejectedSpans: 0, errorMessage: '' }).body).toBe('{}')
  })

  it('writes partialSuccess in proto3 JSON (int64 as a decimal string)', () => {
    const { body } = encodeExportResponse('json', { rejectedSpans: 2, errorMessage: 'span 3: invalid traceId' })
    expect(body).toBe('{"partialSuccess":{"rejectedSpans":"2","errorMessage":"span 3: invalid traceId"}}')
  })

  it('keeps a warning with zero rejected spans, omitting the zero as proto3 JSON does', () => {
    const { body } = encodeExportResponse('json', { rejectedSpans: 0, errorMessage: 'clock skew' })
    expect(body).toBe('{"partialSuccess":{"errorMessage":"clock skew"}}')
  })

  it('answers a full protobuf success with an empty message', () => {
    const { body, contentType } = encodeExportResponse('protobuf')
    expect(contentType).toBe('application/x-protobuf')
    expect(asBytes(body)).toHaveLength(0)
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(asBytes(body)), TO_OBJECT)).toEqual({})
  })

  it('encodes a protobuf partial success that protobufjs decodes back', () => {
    const { body } = encodeExportResponse('protobuf', { rejectedSpans: 5, errorMessage: 'bad ids' })
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(asBytes(body)), TO_OBJECT)
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 5, errorMessage: 'bad ids' } })
  })
})

describe('encodeStatus', () => {
  it('writes a google.rpc.Status in JSON', () => {
    expect(encodeStatus('json', { code: GrpcCode.INVALID_ARGUMENT, message: 'traceId: bad' })).toEqual({
      body: '{"code":3,"message":"traceId: bad"}',
      contentType: 'application/json',
    })
  })

  it.each(Object.entries(GrpcCode))('round-trips %s through protobuf', (_name, code) => {
    const { body, contentType } = encodeStatus('protobuf', { code, message: `failed with ${code}` })
    expect(contentType).toBe('application/x-protobuf')
    expect(RpcStatus.toObject(RpcStatus.decode(asBytes(body)), TO_OBJECT)).toEqual({
      code,
      message: `failed with ${code}`,
    })
  })

  it('uses the gRPC code numbers', () => {
    expect(GrpcCode).toEqual({
      PERMISSION_DENIED: 7,
      INVALID_ARGUMENT: 3,
      RESOURCE_EXHAUSTED: 8,
      INTERNAL: 13,
      UNAVAILABLE: 14,
      UNAUTHENTICATED: 16,
    })
  })
})
