/**
 * Property: whatever the edge acknowledges, the store accepts and returns. fast-check generates
 * spans across every column type (times at and past each range edge, kinds up to 2^31-1, token
 * counts and costs of every size and sign, NaN/Infinity, strings with lone surrogates, NUL and
 * control characters, nested and huge attribute maps, events, links, statuses), sends each request
 * through the real HTTP edge into the real embedded store, and checks that every span the server's
 * own decode → normalise → price → gate (`rowsFromBody`, run here in-process) acknowledges is
 * readable through the API, and that the 200's partial success refused exactly the others.
 *
 * Seeded for CI; SIGHTLINE_PROPERTY_SEED / SIGHTLINE_PROPERTY_RUNS explore further.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { rowsFromBody } from '../../src/otlp/rows-from-body.js'
import { TEST_API_KEY, startTestServer, type TestServer } from '../helpers/server.js'
import { apiGet, postOtlp } from '../edge/helpers.js'

const RUNS = Number(process.env['SIGHTLINE_PROPERTY_RUNS'] ?? 120)
const SEED = Number(process.env['SIGHTLINE_PROPERTY_SEED'] ?? 20261205)
const MAX_ATTRIBUTE_BYTES = 64 * 1024

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    INGEST_MAX_ATTRIBUTE_BYTES: String(MAX_ATTRIBUTE_BYTES),
    SPOOL_SEGMENT_MAX_AGE_MS: '600000',
  })
})
afterAll(async () => {
  await server?.stop()
})

const NOW_NS = BigInt(Date.now()) * 1_000_000n
const edges = [
  '0',
  '1',
  '999999999',
  '4294967295999999999',
  '4294967296000000000',
  '9223372036854775807',
  '9223372036854775808',
  '10413792000000000000',
  '18446744073709551615',
]
const nanos = fc.oneof(
  fc.constantFrom(...edges),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  fc.bigInt({ min: NOW_NS - 10n ** 15n, max: NOW_NS + 10n ** 15n }).map(String),
)
const hostileChar = fc.constantFrom(
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\ufffd',
  '\\',
  '"',
  '\\ud800',
  '\n',
  '\u2028',
  '😀',
  'é',
)
const text = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: hostileChar },
  ),
  maxLength: 40,
})
const bigText = fc.oneof(
  { weight: 9, arbitrary: text },
  {
    weight: 1,
    arbitrary: fc
      .tuple(text, fc.integer({ min: 1000, max: 100_000 }))
      .map(([t, n]) => (t || 'x').repeat(Math.ceil(n / Math.max(1, t.length)))),
  },
)
const intValue = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => ({ intValue: String(n) })),
  fc.integer({ min: -1000, max: 1_000_000 }).map((n) => ({ intValue: n })),
  fc.constantFrom('99999999999999999999', '18446744073709551615', '-1').map((n) => ({ intValue: n })),
)
const doubleValue = fc.oneof(
  fc.double().map((d) => ({ doubleValue: Number.isFinite(d) ? d : String(d) })),
  fc.constantFrom(1e308, -1e308, 5e-324, 'NaN', 'Infinity', '-Infinity', 1e12, 0.5).map((d) => ({ doubleValue: d })),
)
const scalar = fc.oneof(
  text.map((s) => ({ stringValue: s })),
  fc.boolean().map((b) => ({ boolValue: b })),
  intValue,
  doubleValue,
  fc.constant({}),
  fc.uint8Array({ maxLength: 16 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })),
)
const { value: anyValue } = fc.letrec<{ value: object; kv: object }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie('kv'), { maxLength: 4 }).map((values) => ({ kvlistValue: { values } })),
  ),
  kv: fc.record({ key: text, value: tie('value') }),
}))
/** Keys the normaliser reads, so that generated values reach the typed columns. */
const knownKey = fc.constantFrom(
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.provider.name',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'llm.cost.total',
  'llm.token_count.prompt',
  'langfuse.observation.usage_details',
  'langfuse.observation.cost_details',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'session.id',
  'user.id',
  'gen_ai.agent.name',
  'error.type',
  'gen_ai.tool.name',
  'gen_ai.tool.call.arguments',
  'ai.usage.promptTokens',
)
const attribute = fc.oneof(
  fc.record({ key: knownKey, value: anyValue }),
  fc.record({ key: knownKey, value: fc.oneof(intValue, doubleValue) }),
  fc.constant({ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }),
  fc.record({ key: text, value: anyValue }),
  fc.record({ key: knownKey, value: bigText.map((s) => ({ stringValue: s })) }),
)
const attributes = fc.oneof(
  { weight: 8, arbitrary: fc.array(attribute, { maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(attribute, { minLength: 200, maxLength: 600 }) },
)
const hexId = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'))
const id = (bytes: number) =>
  fc.oneof(
    { weight: 12, arbitrary: hexId(bytes) },
    { weight: 1, arbitrary: fc.constantFrom('', '0'.repeat(bytes * 2), 'ab'.repeat(bytes + 1)) },
  )
const span = fc.record({
  traceId: id(16),
  spanId: id(8),
  parentSpanId: fc.oneof(fc.constant(''), hexId(8)),
  traceState: text,
  name: bigText,
  kind: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })),
  startTimeUnixNano: fc.oneof({ weight: 2, arbitrary: fc.constant(String(NOW_NS)) }, { weight: 3, arbitrary: nanos }),
  endTimeUnixNano: nanos,
  attributes,
  events: fc.array(fc.record({ timeUnixNano: nanos, name: text, attributes: fc.array(attribute, { maxLength: 3 }) }), {
    maxLength: 3,
  }),
  links: fc.array(
    fc.record({ traceId: hexId(16), spanId: hexId(8), attributes: fc.array(attribute, { maxLength: 2 }) }),
    { maxLength: 2 },
  ),
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: bigText }),
})
const request = fc.record({
  resource: fc.array(
    fc.oneof(attribute, fc.record({ key: fc.constant('service.name'), value: text.map((s) => ({ stringValue: s })) })),
    { maxLength: 6 },
  ),
  spans: fc.array(span, { minLength: 1, maxLength: 5 }),
})

it('every span the edge acknowledges is stored and readable', { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(request, async ({ resource, spans }) => {
      const body = JSON.stringify({
        resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'property' }, spans }] }],
      })
      const expected = rowsFromBody(Buffer.from(body), 'json', {
        projectId: 'default',
        maxAttributeValueBytes: MAX_ATTRIBUTE_BYTES,
      })
      const res = await postOtlp(server.url, body, { 'Content-Type': 'application/json', ...server.authHeaders })
      expect(res.status).toBe(200)
      const answer = JSON.parse(res.body.toString('utf8')) as { partialSuccess?: { rejectedSpans?: string } }
      expect(Number(answer.partialSuccess?.rejectedSpans ?? 0)).toBe(expected.rejected.count)
      await server.drain()
      const acknowledged = new Set(expected.rows.map((row) => `${row.trace_id}/${row.span_id}`))
      for (const key of acknowledged) {
        const [traceId, spanId] = key.split('/') as [string, string]
        const read = await apiGet<{ span?: { spanId: string } }>(
          server.url,
          `/api/v1/traces/${traceId}/spans/${spanId}`,
          TEST_API_KEY,
        )
        expect(read.status, `span ${key} was acknowledged but is not readable`).toBe(200)
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  )
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  expect(metrics).not.toMatch(/^sightline_spans_quarantined_total\{/m)
})
