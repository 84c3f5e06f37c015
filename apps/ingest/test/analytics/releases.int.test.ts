import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CompareReleasesResponse } from '@sightline/schema'
import { mulberry32 } from '../../bench/generator.js'
import { DEFAULT_PROJECT_ID } from '../../src/db/repositories/projects.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z'

/**
 * Lognormal cost and latency, Bernoulli failures. A failed run is a failed agent invocation (the
 * outcome definition); its tool call fails too. With `under`, the release runs as a sub-agent
 * (its own agent span, as an A2A server span would be) under a root agent of another release.
 */
function traces(
  release: string,
  count: number,
  seed: number,
  o: {
    costScale: number
    latencyScale: number
    errorRate: number
    agent: string
    under?: { release: string; agent: string }
  },
): object[] {
  const rand = mulberry32(seed)
  const normal = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())
  const rows: object[] = []
  for (let i = 0; i < count; i++) {
    const traceId = `${seed.toString(16).padStart(8, '0')}${i.toString(16).padStart(24, '0')}`
    const start = Date.parse('2026-03-01T10:00:00Z') + i * 1000
    const latency = 2000 * o.latencyScale * Math.exp(0.4 * normal())
    const cost = 0.01 * o.costScale * Math.exp(0.5 * normal())
    const failed = rand() < o.errorRate
    const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
    const id = (n: number) => `${traceId.slice(0, 12)}000${n}`
    const common = { project_id: DEFAULT_PROJECT_ID, trace_id: traceId, service_version: release }
    const status = failed ? 'error' : 'ok'
    const agentSpan = o.under
      ? [
          {
            ...common,
            service_version: o.under.release,
            agent_name: o.under.agent,
            span_id: id(9),
            parent_span_id: '',
            kind: 'agent',
            name: 'invoke_agent',
            start_time: at(start - 5),
            end_time: at(start + latency + 5),
            duration_ms: latency + 10,
            status: 'ok',
          },
          {
            ...common,
            agent_name: o.agent,
            span_id: id(1),
            parent_span_id: id(9),
            kind: 'agent',
            name: 'invoke_agent',
            start_time: at(start),
            end_time: at(start + latency),
            duration_ms: latency,
            status,
          },
        ]
      : [
          {
            ...common,
            agent_name: o.agent,
            span_id: id(1),
            parent_span_id: '',
            kind: 'agent',
            name: 'invoke_agent',
            start_time: at(start),
            end_time: at(start + latency),
            duration_ms: latency,
            status,
          },
        ]
    rows.push(
      ...agentSpan,
      {
        ...common,
        span_id: id(2),
        parent_span_id: id(1),
        kind: 'llm',
        is_llm_call: true,
        model: 'gpt-4o',
        name: 'chat',
        start_time: at(start + 10),
        end_time: at(start + 100),
        duration_ms: 90,
        cost_usd: cost.toFixed(10),
        cost_source: 'table',
        input_tokens: 100,
        output_tokens: 10,
        status: 'ok',
      },
      {
        ...common,
        span_id: id(3),
        parent_span_id: id(1),
        kind: 'tool',
        tool_name: 'search',
        name: 'tool',
        start_time: at(start + 200),
        end_time: at(start + 300),
        duration_ms: 100,
        status,
      },
    )
  }
  return rows
}

beforeAll(async () => {
  server = await startTestServer()
  const rows = [
    ...traces('base', 400, 1, { costScale: 1, latencyScale: 1, errorRate: 0.05, agent: 'planner' }),
    ...traces('slower', 400, 2, { costScale: 1.5, latencyScale: 1.3, errorRate: 0.15, agent: 'planner' }),
    ...traces('same-a', 400, 3, { costScale: 1, latencyScale: 1, errorRate: 0.1, agent: 'planner' }),
    ...traces('same-b', 400, 5, { costScale: 1, latencyScale: 1, errorRate: 0.1, agent: 'critic' }),
    // A canary sub-agent: the root runs release root-1; the executor under it runs exec-stable / exec-canary.
    ...traces('exec-stable', 200, 7, {
      costScale: 1,
      latencyScale: 1,
      errorRate: 0.05,
      agent: 'executor',
      under: { release: 'root-1', agent: 'planner' },
    }),
    ...traces('exec-canary', 200, 8, {
      costScale: 1,
      latencyScale: 2.5,
      errorRate: 0.05,
      agent: 'executor',
      under: { release: 'root-1', agent: 'planner' },
    }),
  ]
  await server.deps.store.insertJsonEachRow(
    'spans',
    Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
    'releases-seed',
  )
  await server.resolveStored()
})
afterAll(async () => {
  await server?.stop()
})

const compare = (a: string, b: string, extra = '') =>
  getJson<CompareReleasesResponse>(server, `/api/v1/analytics/releases/compare?a=${a}&b=${b}&${RANGE}${extra}`)

describe('release comparison', () => {
  it('detects a real difference in cost, latency and error rates', async () => {
    const res = await compare('base', 'slower')
    expect(res.status).toBe(200)
    const { a, b, diff } = res.body
    expect([a.traces, b.traces]).toEqual([400, 400])
    expect(diff.costPerTrace.pValue).toBeLessThan(0.001)
    expect(diff.costPerTrace.ciLow).toBeGreaterThan(0)
    expect(diff.latencyGeoMeanRatio.estimate).toBeGreaterThan(1.15)
    expect(diff.latencyGeoMeanRatio.ciLow).toBeGreaterThan(1)
    expect(diff.latencyGeoMeanRatio.pValue).toBeLessThan(0.001)
    expect(diff.errorRate.pValue).toBeLessThan(0.01)
    expect(diff.toolErrorRate.estimate).toBeCloseTo(b.toolErrorRate.estimate! - a.toolErrorRate.estimate!, 10)
    expect(b.latencyMs.p50).toBeGreaterThan(a.latencyMs.p50!)
    expect(a.costPerTrace.ciLow).toBeLessThan(a.costPerTrace.estimate!)
    expect(a.errorRate.ciLow).toBeLessThan(a.errorRate.estimate!)
    expect(diff.costPerTrace.method).toMatch(/Welch/)
    expect(res.body.methods.rates).toMatch(/Wilson/)
  })

  // Seeded: the same draw every run (scipy gives the same cost p-value, 0.956, for these samples).
  it('reports no significant difference for identical distributions', async () => {
    const { body } = await compare('same-a', 'same-b')
    expect(body.diff.costPerTrace.pValue).toBeGreaterThan(0.05)
    expect(body.diff.costPerTrace.ciLow).toBeLessThan(0)
    expect(body.diff.costPerTrace.ciHigh).toBeGreaterThan(0)
    expect(body.diff.latencyGeoMeanRatio.pValue).toBeGreaterThan(0.05)
    expect(body.diff.errorRate.pValue).toBeGreaterThan(0.05)
  })

  it('filters by agent and handles a release with no traces', async () => {
    const { body } = await compare('same-a', 'same-b', '&agent=planner')
    expect(body.a.traces).toBe(400)
    expect(body.b.traces).toBe(0)
    expect(body.b.costPerTrace.estimate).toBeNull()
    expect(body.diff.costPerTrace.pValue).toBeNull()
    expect(body.diff.errorRate.pValue).toBeNull()
  })
})

describe('canary sub-agent', () => {
  it('assigns a trace to the release of the sub-agent that runs one of the compared releases', async () => {
    const res = await getJson<CompareReleasesResponse>(
      server,
      `/api/v1/analytics/releases/compare?a=exec-stable&b=exec-canary&${RANGE}`,
    )
    expect(res.status).toBe(200)
    expect(res.body.a.traces).toBe(200)
    expect(res.body.b.traces).toBe(200)
    expect(res.body.b.latencyMs.p50).toBeGreaterThan(res.body.a.latencyMs.p50! * 1.8)
  })
})
