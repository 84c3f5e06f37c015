import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { countProtobufMessages, isCheapToDecode, MAX_EVENT_LOOP_OBJECTS } from './decode-cost.js'
import { ExportTraceServiceRequest } from './otlp-proto.js'

const encode = (request: object) =>
  ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish()
const kv = (key: string, value: object) => ({ key, value })

describe('countProtobufMessages', () => {
  it('counts every message the decoder would create, a span as ten', () => {
    const body = encode({
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', { stringValue: 'svc' })] },
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  traceId: Buffer.alloc(16, 1),
                  spanId: Buffer.alloc(8, 2),
                  name: 'x',
                  startTimeUnixNano: '1',
                  attributes: [
                    kv('a', {
                      arrayValue: {
                        values: [{ intValue: 1 }, { kvlistValue: { values: [kv('b', { boolValue: true })] } }],
                      },
                    }),
                  ],
                  events: [{ name: 'e' }],
                  links: [{ traceId: Buffer.alloc(16, 3) }],
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    })
    // resourceSpans, resource, kv, value; scopeSpans, scope, the span (10); kv a, its value,
    // arrayValue, 2 values, kvlist, kv b, its value; event, link, status.
    expect(countProtobufMessages(body, 1_000)).toBe(27)
  })

  it('stops just past the limit, and calls malformed bodies infinitely expensive', () => {
    const w = protobuf.Writer.create().uint32(0x0a).fork().uint32(0x12).fork()
    for (let i = 0; i < 5_000; i++) w.uint32(0x12).uint32(0)
    const body = w.ldelim().ldelim().finish()
    expect(countProtobufMessages(body, 100)).toBe(2 + 10 * 10)
    expect(countProtobufMessages(body.subarray(0, body.length - 1), 1e9)).toBe(Infinity)
    expect(countProtobufMessages(Buffer.from('{"resourceSpans":[]}'), 1e9)).toBe(Infinity)
    expect(countProtobufMessages(new Uint8Array(0), 1e9)).toBe(0)
  })
})

describe('isCheapToDecode', () => {
  it('keeps ordinary batches on the event loop and sends swarms of tiny objects away', () => {
    const span = (i: number) => ({
      traceId: Buffer.alloc(16, 1),
      spanId: Buffer.alloc(8, i),
      name: 'chat',
      attributes: Array.from({ length: 15 }, (_, k) => kv(`k${k}`, { stringValue: 'v'.repeat(100) })),
    })
    expect(
      isCheapToDecode(
        encode({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 100 }, (_, i) => span(i)) }] }] }),
        'protobuf',
      ),
    ).toBe(true)
    expect(
      isCheapToDecode(
        Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${'{},'.repeat(MAX_EVENT_LOOP_OBJECTS)}{}]}]}]}`),
        'json',
      ),
    ).toBe(false)
    expect(
      isCheapToDecode(Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${'{},'.repeat(100)}{}]}]}]}`), 'json'),
    ).toBe(true)
  })
})
