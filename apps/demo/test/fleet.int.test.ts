/**
 * The demo fleet end to end: a real ingest server, the agents as child processes, a seeded traffic
 * run that tours every scenario, then every scenario found again through the query API.
 */
import { randomBytes } from 'node:crypto'
// Relative (test-only): @sightline/schema is not a dependency of the demo.
import type { ListTracesResponse, Span, TraceDetail, TraceSummary } from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { AgentClient } from '../src/a2a/call.js'
import { startFleet, type Fleet } from '../src/fleet.js'
import type { TrafficStats } from '../src/traffic/generator.js'

const ATLANTIS = 'check the weather in Atlantis'

let server: TestServer
let fleet: Fleet | undefined
let stats: TrafficStats
const external = { buggy: '', fixed: '' }

const list = async (query: string): Promise<TraceSummary[]> => {
  const { status, body } = await getJson<ListTracesResponse>(server, `/api/v1/traces?limit=500&${query}`)
  expect(status).toBe(200)
  return body.traces
}
const detail = async (traceId: string): Promise<TraceDetail> => {
  const { status, body } = await getJson<TraceDetail>(server, `/api/v1/traces/${traceId}`)
  expect(status).toBe(200)
  return body
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
/** The trace once its outcome is no longer `running`. */
async function settled(traceId: string): Promise<TraceDetail> {
  for (let i = 0; i < 50; i++) {
    const found = await detail(traceId)
    if (found.trace.outcome !== 'running') return found
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return detail(traceId)
}

/** Sends a task the way a regression runner would: over A2A, inside its own trace. */
async function sendExternal(plannerUrl: string): Promise<string> {
  const traceId = randomBytes(16).toString('hex')
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`
  await new AgentClient(plannerUrl, 'planner-agent').sendRaw(
    { text: ATLANTIS, meta: {} },
    { serviceParameters: { traceparent } },
  )
  return traceId
}

const toolCalls = (spans: Span[], tool: string, service: string) =>
  spans.filter((s) => s.kind === 'tool' && s.toolName === tool && s.serviceName === service)

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_TRACE_SETTLE_MS: '2000' })
  fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    seed: 7,
    rate: 60,
    timeScale: 0.05,
    maxTraces: 40,
    portBase: 0,
    log: (line) => {
      if (/error|fail/i.test(line)) console.error(line)
    },
  })
  stats = await fleet.trafficDone
  const fixedPlanner = await fleet.spawn('planner', { PLANNER_RELEASE: 'fixed' })
  external.buggy = await sendExternal(fleet.urls.planner)
  external.fixed = await sendExternal(fixedPlanner)
  // Stopping flushes every child's spans; then wait until ingest has stored them.
  await fleet.stop()
  fleet = undefined
  await server.drain()
}, 90_000)

afterAll(async () => {
  await fleet?.stop()
  await server?.stop()
})

describe('demo fleet', () => {
  it('sent the whole seeded run, every scenario included', async () => {
    expect(stats.sent).toBeGreaterThanOrEqual(40)
    expect(stats.completed + stats.failed).toBe(stats.sent)
    for (const scenario of ['success', 'tool_error', 'loop', 'cost_spike', 'canary', 'guardrail', 'session']) {
      expect(stats.byScenario[scenario], scenario).toBeGreaterThan(0)
    }
    const traces = await list('service=planner-agent')
    expect(traces.length).toBeGreaterThanOrEqual(40)
  })

  it('links a planner span to an executor span in another service, same trace (A2A)', async () => {
    const [trace] = await list('service=executor-agent&status=ok&limit=1')
    const { spans } = await detail(trace!.traceId)
    const byId = new Map(spans.map((s) => [s.spanId, s]))
    const child = spans.find(
      (s) => s.serviceName === 'executor-agent' && byId.get(s.parentSpanId)?.serviceName === 'planner-agent',
    )
    expect(child?.kind).toBe('agent')
    expect(byId.get(child!.parentSpanId)).toMatchObject({ kind: 'handoff', traceId: trace!.traceId })
  })

  it('records MCP tool calls with tool and server names on both sides', async () => {
    const [trace] = await list('tool=search&limit=1')
    const { spans } = await detail(trace!.traceId)
    const server = toolCalls(spans, 'search', 'tools-mcp')[0]
    const client = spans.find((s) => s.spanId === server?.parentSpanId)
    expect(server?.attributes['mcp.server.name']).toBe('demo-tools')
    expect(client).toMatchObject({ kind: 'tool', toolName: 'search', serviceName: 'researcher-agent' })
    expect(client?.attributes['mcp.server.name']).toBe('demo-tools')
  })

  it('finds the loop: the same tool and arguments at least 4 times in one failed trace', async () => {
    const traces = await list('tool=weather&status=error&service=planner-agent')
    expect(traces.length).toBeGreaterThan(0)
    const { spans } = await detail(traces[0]!.traceId)
    const calls = toolCalls(spans, 'weather', 'planner-agent')
    expect(calls.length).toBeGreaterThanOrEqual(4)
    expect(new Set(calls.map((s) => s.toolArguments)).size).toBe(1)
  })

  it('finds the cost spike: the expensive model, higher cost per trace', async () => {
    const spike = await list('model=claude-opus-4-20250514')
    const normal = (await list('service=planner-agent&status=ok')).filter(
      (t) => !t.models.includes('claude-opus-4-20250514') && t.llmCallCount > 4,
    )
    expect(spike.length).toBeGreaterThan(0)
    expect(mean(spike.map((t) => t.costUsd ?? 0))).toBeGreaterThan(3 * mean(normal.map((t) => t.costUsd ?? 0)))
  })

  it('finds the canary: release filter, higher mean duration', async () => {
    const canary = await list('release=1.5.0-canary&status=ok')
    const stable = await list('release=1.4.0&status=ok')
    expect(canary.length).toBeGreaterThan(0)
    expect(stable.length).toBeGreaterThan(canary.length)
    expect(mean(canary.map((t) => t.durationMs))).toBeGreaterThan(mean(stable.map((t) => t.durationMs)))
  })

  it('finds the guardrail: a failed guardrail span, then a hand-off to a human', async () => {
    const traces = await list('q=human-escalation')
    expect(traces.length).toBeGreaterThan(0)
    const { trace, spans } = await detail(traces[0]!.traceId)
    expect(trace.tags).toEqual(expect.arrayContaining(['guardrail', 'human-escalation']))
    expect(trace.outcome).not.toBe('ok')
    expect(spans.find((s) => s.kind === 'guardrail')).toMatchObject({ status: 'error', failed: true })
    expect(spans.find((s) => s.name === 'invoke_agent human-escalation')).toMatchObject({ kind: 'handoff' })
  })

  it('finds sessions: several traces of one user under one session id', async () => {
    const withSession = (await list('service=planner-agent')).filter((t) => t.sessionId.startsWith('sess-'))
    const sessionIds = [...new Set(withSession.map((t) => t.sessionId))]
    expect(sessionIds.length).toBeGreaterThan(0)
    for (const sessionId of sessionIds) {
      const session = await list(`sessionId=${sessionId}`)
      expect(session.length).toBeGreaterThanOrEqual(3)
      expect(new Set(session.map((t) => t.userId)).size).toBe(1)
      expect(session[0]!.userId).toMatch(/^user-\d{3}$/)
    }
  })

  it('finds tool errors that a retry recovered from', async () => {
    const traces = await list('tool=db_lookup&status=recovered&tag=recovered-retry')
    const recovered = []
    for (const t of traces) {
      const calls = toolCalls((await detail(t.traceId)).spans, 'db_lookup', 'executor-agent').sort((a, b) =>
        a.startTime.localeCompare(b.startTime),
      )
      if (calls.length >= 2 && calls[0]!.status === 'error' && calls.at(-1)!.status !== 'error') recovered.push(t)
    }
    expect(recovered.length).toBeGreaterThan(0)
    expect(recovered[0]!.toolErrorCount).toBeGreaterThan(0)
  })

  it('buggy planner loops and fails on the Atlantis task; the fixed one answers', async () => {
    // Sent inside a caller's trace whose span is never exported: judged once settled (SIGHTLINE_TRACE_SETTLE_MS).
    const buggy = await settled(external.buggy)
    expect(buggy.trace).toMatchObject({ outcome: 'failed', tags: expect.arrayContaining(['loop', 'partial']) })
    expect(buggy.trace.releases).toContain('2.3.0')
    expect(toolCalls(buggy.spans, 'weather', 'planner-agent').length).toBe(8)

    const fixed = await settled(external.fixed)
    expect(fixed.trace.outcome).toBe('ok')
    expect(fixed.trace.releases).toContain('2.3.1')
    expect(toolCalls(fixed.spans, 'weather', 'planner-agent').length).toBe(2)
  })

  it('labels every root span with its scenario', async () => {
    // One at a time: the query API queues a project's concurrent queries (32) and refuses beyond.
    const roots = []
    for (const t of await list('service=planner-agent&limit=60')) {
      roots.push(
        (await detail(t.traceId)).spans.find(
          (s) => s.kind === 'agent' && s.serviceName === 'planner-agent' && s.attributes['demo.scenario'],
        ),
      )
    }
    expect(roots.every((s) => s !== undefined)).toBe(true)
  })
})
