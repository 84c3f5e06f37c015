/**
 * The reproduction from the data-loss report, exactly: one good span and one whose start time is
 * the largest fixed64 in one request. Before the storability gate the answer was a plain 200, the
 * store refused the whole spool segment (DECIMAL_OVERFLOW) and the good span was lost with it.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TEST_API_KEY, startTestServer, type TestServer } from '../helpers/server.js'
import { apiGet, postOtlp } from '../edge/helpers.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

it('a poison span is refused alone; the good span of the same request is stored', async () => {
  const traceId = hex(16)
  const good = hex(8)
  const now = BigInt(Date.now()) * 1_000_000n
  const span = (spanId: string, start: string) => ({
    traceId,
    spanId,
    name: `s-${spanId}`,
    kind: 1,
    startTimeUnixNano: start,
    endTimeUnixNano: start,
  })
  const body = JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [span(good, String(now)), span(hex(8), '18446744073709551615')] }] }],
  })
  const res = await postOtlp(server.url, body, { 'Content-Type': 'application/json', ...server.authHeaders })
  expect(res.status).toBe(200)
  const answer = JSON.parse(res.body.toString('utf8')) as {
    partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string }
  }
  expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(1)
  expect(answer.partialSuccess?.errorMessage).toMatch(/start time out of range/)

  await server.drain()
  const stored = await apiGet(server.url, `/api/v1/traces/${traceId}/spans/${good}`, TEST_API_KEY)
  expect(stored.status).toBe(200)
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  expect(metrics).not.toMatch(/^sightline_spans_quarantined_total\{[^}]*\} [1-9]/m)
})
