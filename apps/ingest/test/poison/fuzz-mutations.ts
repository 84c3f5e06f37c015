/**
 * Mutations of real OTLP bodies for the fuzzer, all driven by one seeded RNG so a failing request
 * can be replayed. Covered: structural (delete a field, swap a value's type, duplicate a span,
 * nest values 70 deep, a 1,500-key attribute map) and value mutations (times at and past every
 * range edge, extreme and malformed numbers, NaN/Infinity, token counts and costs of every size and
 * sign, kinds up to 2^31-1, lone surrogates, NUL and control characters, 100 KB strings), byte
 * mutations (truncation, random bytes, spliced duplicates, pure noise) and gzip (valid or cut).
 * Ids are replaced by fresh ones per request, parents kept consistent, so every request adds spans.
 */
import { gzipSync } from 'node:zlib'
import { Rng } from '../../bench/anomaly/rng.js'
import { ExportTraceServiceRequest } from '../../src/otlp/otlp-proto.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

export class Mutator {
  constructor(private readonly rng: Rng) {}

  int(n: number): number {
    return Math.floor(this.rng.next() * n)
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }

  chance(p: number): boolean {
    return this.rng.next() < p
  }

  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)))
  }

  /** A mutated body of the same encoding, and whether to send it gzip-compressed. */
  mutate(body: Buffer, encoding: 'json' | 'protobuf'): { body: Buffer; gzip: boolean } {
    let out = this.chance(0.85) ? this.mutateTree(body, encoding) : body
    if (this.chance(0.15)) out = this.mutateBytes(out)
    const gzip = this.chance(0.25)
    if (!gzip) return { body: out, gzip }
    const zipped = gzipSync(out)
    return { body: this.chance(0.1) ? zipped.subarray(0, this.int(zipped.length)) : zipped, gzip }
  }

  private mutateTree(body: Buffer, encoding: 'json' | 'protobuf'): Buffer {
    const tree = (encoding === 'json' ? JSON.parse(body.toString('utf8')) : protobufToObject(body)) as Json
    freshIds(tree, encoding, (n) => this.bytes(n))
    const rounds = 1 + this.int(4)
    for (let i = 0; i < rounds; i++) this.mutateNode(tree)
    if (encoding === 'json') return Buffer.from(JSON.stringify(tree))
    try {
      return Buffer.from(
        ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(tree as JsonObject)).finish(),
      )
    } catch {
      // A type swap protobuf cannot express: fall back to a byte mutation of the original.
      return this.mutateBytes(body)
    }
  }

  private mutateNode(tree: Json): void {
    const lists = collect(tree, (key) => key === 'spans').flatMap((s) => (Array.isArray(s.value) ? [s.value] : []))
    const spans = lists.flat().filter((s): s is JsonObject => typeof s === 'object' && s !== null && !Array.isArray(s))
    const span = spans.length > 0 ? this.pick(spans) : undefined
    const nodes = collect(tree, () => true)
    const node = nodes.length > 0 ? this.pick(nodes) : undefined
    switch (this.int(10)) {
      case 0:
      case 1:
        if (span) this.poisonSpan(span)
        return
      case 2:
        if (node) node.parent[node.key] = this.extremeValue()
        return
      case 3:
        if (node)
          node.parent[node.key] = this.pick<Json>([null, true, 0, -1, '', 'x', [], {}, [1, 'a'], { stringValue: 1 }])
        return
      case 4:
        if (node && !node.isArray) delete node.parent[node.key]
        return
      case 5:
        if (span && lists[0]) lists[0].push(structuredClone(span))
        return
      case 6:
        if (span)
          (span['attributes'] as Json[] | undefined)?.push({ key: 'deep', value: nest(this.chance(0.5) ? 70 : 20) })
        return
      case 7:
        if (span)
          span['attributes'] = Array.from({ length: 1500 }, (_, i) => ({
            key: `k${i}${this.pick(TEXT_PARTS)}`,
            value: { stringValue: this.pick(TEXT_PARTS) },
          }))
        return
      default:
        if (node && typeof node.parent[node.key] === 'string') node.parent[node.key] = this.text()
    }
  }

  /** Values that reach typed columns: times, kind, status, usage, cost, names. */
  private poisonSpan(span: JsonObject): void {
    const field = this.pick([
      'startTimeUnixNano',
      'endTimeUnixNano',
      'kind',
      'name',
      'status',
      'usage',
      'cost',
      'events',
    ])
    const attributes = Array.isArray(span['attributes']) ? span['attributes'] : (span['attributes'] = [])
    if (field === 'startTimeUnixNano' || field === 'endTimeUnixNano') span[field] = this.pick(TIMES)
    else if (field === 'kind') span['kind'] = this.pick([0, 6, 255, 256, -1, 2147483647, 1.5])
    else if (field === 'name') span['name'] = this.text()
    else if (field === 'status')
      span['status'] = { code: this.pick([0, 1, 2, 3, -1, 2147483647]), message: this.text() }
    else if (field === 'events')
      span['events'] = [
        {
          timeUnixNano: this.pick(TIMES),
          name: this.text(),
          attributes: [{ key: this.text(), value: { stringValue: this.text() } }],
        },
      ]
    else if (field === 'usage') {
      attributes.push(
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      )
      attributes.push({ key: this.pick(USAGE_KEYS), value: this.numberValue() })
    } else {
      attributes.push({ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } })
      attributes.push(
        this.chance(0.5)
          ? { key: 'llm.cost.total', value: this.numberValue() }
          : {
              key: 'langfuse.observation.cost_details',
              value: {
                stringValue:
                  `{"total":` + `${this.pick(['1e12', '-3', '123456789012345678901234567890', '0.1234567890123'])}}`,
              },
            },
      )
    }
  }

  private numberValue(): Json {
    return this.pick<Json>([
      {
        intValue: this.pick([
          '-5',
          '99999999999999999999',
          '18446744073709551615',
          '9223372036854775807',
          '0',
          '1000000000001',
        ]),
      },
      { doubleValue: this.pick<Json>([1e308, -1e308, 'NaN', 'Infinity', '-Infinity', 1.5, -0.5, 5e-324]) },
      { stringValue: this.pick(['-1', '1e400', '12345678901234567890123', 'abc', ' 7 ']) },
    ])
  }

  private extremeValue(): Json {
    return this.pick<Json>([
      ...TIMES,
      1e308,
      -1e308,
      2 ** 53 + 1,
      -0,
      'NaN',
      this.text(),
      { intValue: '99999999999999999999' },
      { doubleValue: 'Infinity' },
    ])
  }

  text(): string {
    const parts = Array.from({ length: 1 + this.int(4) }, () => this.pick(TEXT_PARTS))
    if (this.chance(0.01)) parts.push('z'.repeat(100_000))
    return parts.join('')
  }

  private mutateBytes(body: Buffer): Buffer {
    const out = Buffer.from(body)
    switch (this.int(4)) {
      case 0:
        return out.subarray(0, this.int(out.length + 1))
      case 1:
        for (let i = 0; i < 1 + this.int(8) && out.length > 0; i++) out[this.int(out.length)] = this.int(256)
        return out
      case 2: {
        const at = this.int(out.length + 1)
        return Buffer.concat([out.subarray(0, at), out.subarray(this.int(out.length + 1)), out.subarray(at)])
      }
      default:
        return this.bytes(this.int(512))
    }
  }
}

const TIMES = [
  '0',
  '1',
  '4294967295999999999',
  '4294967296000000000',
  '9223372036854775807',
  '10413792000000000000',
  '18446744073709551615',
  '99999999999999999999',
  '-1',
  '1e30',
  1e30,
  1.5,
]
const USAGE_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'llm.token_count.prompt',
  'ai.usage.promptTokens',
  'gen_ai.usage.prompt_tokens',
]
const TEXT_PARTS = [
  'plain',
  '\ud800',
  '\udfff',
  '\udbff\udbff',
  '\u0000',
  '\u0001\u001f',
  '\u007f',
  '😀',
  'é',
  '"',
  '\\',
  '\\ud800',
  '\n',
  '\u2028',
  '',
  '{"a":"\\udc00"}',
  '%s%n',
  '<script>',
]

function nest(depth: number): Json {
  let value: Json = { stringValue: 'bottom' }
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } }
  return value
}

type Slot = { parent: Record<string | number, Json>; isArray: boolean; key: string | number; value: Json }
function collect(tree: Json, test: (key: string | number) => boolean): Slot[] {
  const out: Slot[] = []
  const walk = (value: Json) => {
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      const slotKey = Array.isArray(value) ? Number(key) : key
      if (test(slotKey))
        out.push({
          parent: value as Record<string | number, Json>,
          isArray: Array.isArray(value),
          key: slotKey,
          value: child,
        })
      walk(child)
    }
  }
  walk(tree)
  return out
}

/** Fresh ids per request, the same replacement for the same old id (parents stay linked). */
function freshIds(tree: Json, encoding: 'json' | 'protobuf', randomBytes: (n: number) => Buffer): void {
  const map = new Map<string, string>()
  for (const slot of collect(
    tree,
    (key) => typeof key === 'string' && /^(traceId|spanId|parentSpanId|trace_id|span_id|parent_span_id)$/.test(key),
  )) {
    if (typeof slot.value !== 'string' || slot.value === '') continue
    const bytes = encoding === 'json' ? slot.value.length / 2 : Buffer.from(slot.value, 'base64').length
    let next = map.get(slot.value)
    if (next === undefined) {
      const fresh = randomBytes(Math.max(1, Math.floor(bytes)))
      next = encoding === 'json' ? fresh.toString('hex') : fresh.toString('base64')
      map.set(slot.value, next)
    }
    slot.parent[slot.key] = next
  }
}

function protobufToObject(body: Buffer): Json {
  const message = ExportTraceServiceRequest.decode(body)
  return ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, enums: Number }) as Json
}
