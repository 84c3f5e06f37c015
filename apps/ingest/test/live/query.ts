/** Reads traces back through the public query API, the only view a test may trust. */
import type { GetTraceResponse, ListTracesResponse, Span } from '@sightline/schema'
import { getJson, type TestServer } from '../helpers/server.js'

export const ALL_TIME = 'from=2000-01-01T00:00:00Z'

export async function listTraces(server: TestServer, query = ''): Promise<ListTracesResponse> {
  const res = await getJson<ListTracesResponse>(
    server,
    `/api/v1/traces?${ALL_TIME}&limit=500${query ? `&${query}` : ''}`,
  )
  if (res.status !== 200) throw new Error(`GET /api/v1/traces answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

export async function getTrace(server: TestServer, traceId: string): Promise<GetTraceResponse | undefined> {
  const res = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceId}`)
  if (res.status === 404) return undefined
  if (res.status !== 200)
    throw new Error(`GET /api/v1/traces/${traceId} answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res.body
}

/**
 * Drains the writer, then polls until the trace shows at least `minSpans` spans or the deadline
 * passes. Returns the last answer so a failing assertion shows what was stored.
 */
export async function waitForTrace(
  server: TestServer,
  traceId: string,
  minSpans: number,
  timeoutMs = 10_000,
): Promise<GetTraceResponse> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await server.drain()
    const found = await getTrace(server, traceId)
    if (found && found.spans.length >= minSpans) return found
    if (Date.now() > deadline) {
      throw new Error(
        `trace ${traceId} has ${found?.spans.length ?? 0} spans after ${timeoutMs} ms, expected ${minSpans}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** How many times each span id appears; a retried batch must not show up twice. */
export function countBySpanId(spans: Span[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const span of spans) counts.set(span.spanId, (counts.get(span.spanId) ?? 0) + 1)
  return counts
}

export function spanNamed(spans: Span[], name: string): Span {
  const found = spans.filter((s) => s.name === name)
  if (found.length !== 1)
    throw new Error(
      `expected one span named ${JSON.stringify(name)}, found ${found.length}: ${spans.map((s) => s.name).join(', ')}`,
    )
  return found[0]!
}
