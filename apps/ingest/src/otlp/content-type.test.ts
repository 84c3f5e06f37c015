import { describe, expect, it } from 'vitest'
import { parseOtlpContentType } from './content-type.js'

describe('parseOtlpContentType', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['Application/JSON;charset=UTF-8', 'json'],
    ['  application/json  ', 'json'],
    ['application/x-protobuf', 'protobuf'],
    ['application/x-protobuf; proto=opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', 'protobuf'],
    ['APPLICATION/X-PROTOBUF', 'protobuf'],
  ])('%j → %s', (header, expected) => {
    expect(parseOtlpContentType(header)).toBe(expected)
  })

  it.each([
    undefined,
    null,
    '',
    'text/plain',
    'application/grpc',
    'application/jsonx',
    'application/json/x',
    ';;',
    'json',
  ])('%j → null (415)', (header) => {
    expect(parseOtlpContentType(header)).toBeNull()
  })
})
