/**
 * OTLP/JSON spans carrying every kind of value a `spans` column cannot hold (the kinds of the
 * data-loss report and the rest of 0001_spans.sql), each with what the edge must do with it:
 * `reject` (partial success) or `store` (as is, or clamped with a flag).
 */
import { randomBytes } from 'node:crypto'

type AnyValue = Record<string, unknown>
export interface OtlpSpan {
  traceId: string
  spanId: string
  name: string
  kind: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Array<{ key: string; value: AnyValue }>
  events?: Array<{ timeUnixNano: string; name: string; attributes?: Array<{ key: string; value: AnyValue }> }>
  status?: { code: number; message: string }
}

export interface PoisonKind {
  name: string
  expect: 'reject' | 'store'
  /** A flag the stored span must carry. */
  flag?: string
  make(span: OtlpSpan): void
}

const LONE = '\ud800'
const LOW = '\udfff'
const llm = (span: OtlpSpan, usage: AnyValue, extra: Array<{ key: string; value: AnyValue }> = []) => {
  span.name = 'chat gpt-4o-mini'
  span.kind = 3
  span.attributes.push(
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
    { key: 'gen_ai.usage.input_tokens', value: usage },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: '7' } },
    ...extra,
  )
}

export const POISON_KINDS: PoisonKind[] = [
  { name: 'good', expect: 'store', make: () => undefined },
  { name: 'good llm call', expect: 'store', make: (s) => llm(s, { intValue: '120' }) },
  {
    name: 'start = max fixed64',
    expect: 'reject',
    make: (s) => {
      s.startTimeUnixNano = '18446744073709551615'
    },
  },
  {
    name: 'start in 2300',
    expect: 'reject',
    make: (s) => {
      s.startTimeUnixNano = '10413792000000000000'
      s.endTimeUnixNano = s.startTimeUnixNano
    },
  },
  {
    name: 'start past the rollups (2107)',
    expect: 'reject',
    make: (s) => {
      s.startTimeUnixNano = '4323283200000000000'
      s.endTimeUnixNano = s.startTimeUnixNano
    },
  },
  {
    name: 'end = max fixed64',
    expect: 'store',
    flag: 'invalid_end_time',
    make: (s) => {
      s.endTimeUnixNano = '18446744073709551615'
    },
  },
  { name: 'negative tokens', expect: 'store', flag: 'invalid_usage', make: (s) => llm(s, { intValue: '-5' }) },
  { name: 'tokens 1e308', expect: 'store', flag: 'invalid_usage', make: (s) => llm(s, { doubleValue: 1e308 }) },
  {
    name: '20-digit tokens',
    expect: 'store',
    flag: 'invalid_usage',
    make: (s) => llm(s, { intValue: '99999999999999999999' }),
  },
  {
    name: 'NaN / Infinity doubles',
    expect: 'store',
    make: (s) => llm(s, { doubleValue: 'NaN' }, [{ key: 'x.inf', value: { doubleValue: '-Infinity' } }]),
  },
  {
    name: 'reported cost past Decimal(18,10)',
    expect: 'store',
    flag: 'invalid_cost',
    make: (s) => llm(s, { intValue: '10' }, [{ key: 'llm.cost.total', value: { doubleValue: 1e12 } }]),
  },
  {
    name: 'otel kind 2^31-1',
    expect: 'store',
    flag: 'invalid_otel_kind',
    make: (s) => {
      s.kind = 2147483647
    },
  },
  {
    name: 'lone surrogate in the name',
    expect: 'store',
    flag: 'invalid_text',
    make: (s) => {
      s.name = `bad ${LONE} name`
    },
  },
  {
    name: 'lone surrogate in a key and a value',
    expect: 'store',
    flag: 'invalid_text',
    make: (s) => {
      s.attributes.push({ key: `k${LONE}`, value: { stringValue: `v${LOW}` } })
    },
  },
  {
    name: 'lone surrogate in the status message',
    expect: 'store',
    flag: 'invalid_text',
    make: (s) => {
      s.status = { code: 2, message: `boom ${LONE}` }
    },
  },
  {
    name: 'lone surrogate in an event name',
    expect: 'store',
    make: (s) => {
      s.events = [
        {
          timeUnixNano: s.startTimeUnixNano,
          name: `ev${LONE}`,
          attributes: [{ key: `a${LOW}`, value: { stringValue: LONE } }],
        },
      ]
    },
  },
  {
    name: 'lone surrogate in JSON inside a message',
    expect: 'store',
    make: (s) =>
      llm(s, { intValue: '3' }, [
        {
          key: 'gen_ai.input.messages',
          value: { stringValue: '[{"role":"user","parts":[{"type":"text","content":"hi \\ud800"}]}]' },
        },
      ]),
  },
  {
    name: 'NUL and control characters',
    expect: 'store',
    make: (s) => {
      s.name = 'nul\u0000\u0001\u001f'
      s.attributes.push({ key: 'nul\u0000', value: { stringValue: '\u0000' } })
    },
  },
]

export const hex = (bytes: number) => randomBytes(bytes).toString('hex')

export function baseSpan(traceId = hex(16), startMs = Date.now()): OtlpSpan {
  const start = BigInt(startMs) * 1_000_000n
  return {
    traceId,
    spanId: hex(8),
    name: 'step',
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    attributes: [],
  }
}

/** One request; `resourcePoison` puts a lone surrogate in a resource attribute. */
export function requestBody(spans: OtlpSpan[], resourcePoison = false): string {
  const resource = [{ key: 'service.name', value: { stringValue: 'poison-test' } }]
  if (resourcePoison) resource.push({ key: `host${LONE}`, value: { stringValue: `h${LOW}` } })
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'poison' }, spans }] }],
  })
}
