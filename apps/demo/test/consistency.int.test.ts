/**
 * One meaning per number, on seeded demo traffic (issue "one meaning per number", acceptance): for one
 * range, every split of the cost adds up to the overview's cost; the trace list counts what the
 * overview counts; an MCP call traced on both ends is one tool call and an A2A hand-off one delegation;
 * spans exported before their parent end with their parent's agent; and sending every span again
 * after a restart (an exporter retrying after a crash) changes no number on any page.
 */
// Relative (test-only): @sightline/schema is not a dependency of the demo.
import type {
  ListTracesResponse,
  OverviewResponse,
  SeriesResponse,
  TopResponse,
  TraceDetail,
  TraceSummary,
} from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { startFleet } from '../src/fleet.js'

const DIMENSIONS = ['model', 'agent', 'user', 'service', 'release', 'environment', 'tool'] as const

let server: TestServer
let range = ''

async function api<T>(path: string): Promise<T> {
  const { status, body } = await getJson<T>(server, path)
  expect(status, path).toBe(200)
  return body
}

async function listAll(query = ''): Promise<TraceSummary[]> {
  const out: TraceSummary[] = []
  let cursor: string | null = null
  do {
    const page: ListTracesResponse = await api(
      `/api/v1/traces?${range}&limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    out.push(...page.traces)
    cursor = page.nextCursor
  } while (cursor)
  return out
}

const overview = async () => (await api<OverviewResponse>(`/api/v1/analytics/overview?${range}`)).current
const costSplit = async (dimension: string) =>
  (await api<SeriesResponse>(`/api/v1/analytics/series?metric=cost&dimension=${dimension}&step=5m&top=50&${range}`))
    .series
const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((n, item) => n + pick(item), 0)

/** Everything the pages show for the range, for a before/after comparison. */
async function snapshot() {
  const series = Object.fromEntries(await Promise.all(DIMENSIONS.map(async (d) => [d, await costSplit(d)] as const)))
  const traces = (await listAll()).sort((a, b) => a.traceId.localeCompare(b.traceId))
  const details = await Promise.all(traces.slice(0, 15).map((t) => api<TraceDetail>(`/api/v1/traces/${t.traceId}`)))
  const agents = await api<TopResponse>(`/api/v1/analytics/top?entity=agent&by=cost&limit=100&${range}`)
  return { overview: await overview(), series, traces, details, agents: agents.rows }
}

beforeAll(async () => {
  server = await startTestServer()
  const started = Date.now()
  const fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    seed: 11,
    rate: 60,
    timeScale: 0.05,
    maxTraces: 50,
    portBase: 0,
    log: () => undefined,
  })
  await fleet.trafficDone
  await fleet.stop()
  await server.drain()
  range = `from=${new Date(started - 600_000).toISOString()}&to=${new Date(Date.now() + 600_000).toISOString()}`
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('one meaning per number (demo traffic)', () => {
  it('splits the cost by every dimension into parts that add up to the overview cost', async () => {
    const total = (await overview()).costUsd
    expect(total).toBeGreaterThan(0)
    for (const dimension of DIMENSIONS) {
      const parts = sum(await costSplit(dimension), (s) => s.total ?? 0)
      expect(Math.abs(parts - total), `cost by ${dimension}`).toBeLessThanOrEqual(total * 0.005)
    }
    const agents = await api<TopResponse>(`/api/v1/analytics/top?entity=agent&by=cost&limit=100&${range}`)
    expect(Math.abs(sum(agents.rows, (r) => r.costUsd) - total)).toBeLessThanOrEqual(total * 0.005)
  })

  it('lists exactly the traces, failures, calls and cost the overview counts', async () => {
    const o = await overview()
    const traces = await listAll()
    expect(traces.length).toBe(o.traces)
    expect((await listAll('&status=failed')).length).toBe(o.failedTraces)
    expect(sum(traces, (t) => t.llmCallCount)).toBe(o.llmCalls)
    expect(sum(traces, (t) => t.toolCallCount)).toBe(o.toolCalls)
    expect(Math.abs(sum(traces, (t) => t.costUsd ?? 0) - o.costUsd)).toBeLessThanOrEqual(o.costUsd * 0.005)
    // The demo's failure modes are all there, each with its one meaning.
    expect(traces.some((t) => t.outcome === 'failed' && t.tags.includes('loop'))).toBe(true)
    expect(traces.some((t) => t.outcome === 'recovered' && t.tags.includes('recovered-retry'))).toBe(true)
    expect(traces.some((t) => t.tags.includes('guardrail') && t.tags.includes('human-escalation'))).toBe(true)
  })

  it('counts an MCP call traced on both ends as one tool call and an A2A hand-off as one delegation', async () => {
    const traces = await listAll('&service=planner-agent')
    expect(traces.length).toBeGreaterThan(10)
    for (const t of traces) {
      const { spans } = await api<TraceDetail>(`/api/v1/traces/${t.traceId}`)
      // MCP client spans of tool calls (a `tools/list` the agent captured for the registry is MCP, not a tool call).
      const mcpClients = spans.filter((s) => s.flags.includes('mcp:client') && s.kind === 'tool')
      const mcpServers = spans.filter((s) => s.flags.includes('mcp:server'))
      expect(
        mcpServers.every((s) => s.toolRole === 'part'),
        t.traceId,
      ).toBe(true)
      expect(spans.filter((s) => s.toolRole === 'call').length).toBe(t.toolCallCount)
      expect(t.toolCallCount).toBe(
        mcpClients.length + spans.filter((s) => s.toolRole === 'call' && !s.flags.includes('mcp:client')).length,
      )
      const handoffs = spans.filter((s) => s.flags.includes('a2a:client'))
      expect(spans.filter((s) => s.isDelegation).length).toBe(t.delegationCount)
      expect(t.delegationCount).toBe(handoffs.length)
    }
  })

  it('gives every span under an agent that agent, though exporters sent children before parents', async () => {
    for (const t of await listAll('&service=planner-agent')) {
      const { spans } = await api<TraceDetail>(`/api/v1/traces/${t.traceId}`)
      const calls = spans.filter((s) => s.llmRole === 'call' || s.toolRole === 'call')
      expect(
        calls.every((s) => s.agentName !== ''),
        t.traceId,
      ).toBe(true)
    }
  })

  it('changes no number when every span is sent again after a restart', async () => {
    const before = await snapshot()
    const dataDir = server.dataDir
    await server.stop()
    server = await startTestServer({}, dataDir)
    const rows = await server.deps.store.query<Record<string, unknown>>(
      (await import('@sightline/ingest/testing/sql')).sql`SELECT * EXCEPT (ingested_at) FROM spans`,
    )
    expect(rows.length).toBeGreaterThan(100)
    // The spool path a retried export takes after normalisation: the writer, as the route calls it.
    await server.deps.writer.write(rows as never)
    await server.drain()
    const after = await snapshot()
    expect(after).toEqual(before)
  })
})
