/**
 * The fleet registry on the demo fleet: every agent with its card and versions, every MCP tool with
 * its schema and callers, health equal to the trace data of the same range, and drift when the
 * planner moves from the buggy to the fixed release and the tool server to a changed `weather` schema.
 */
// Relative (test-only): @sightline/schema and @sightline/core are not dependencies of the demo.
import type {
  GetTraceResponse,
  ListTracesResponse,
  RegistryAgentsResponse,
  RegistryEventsResponse,
  RegistryToolsResponse,
  Span,
} from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { AgentClient } from '../src/a2a/call.js'
import { startFleet, type Fleet } from '../src/fleet.js'

let server: TestServer
let fleet: Fleet | undefined
let range = ''
let spans: Span[] = []

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_REGISTRY_SCAN_MS: '0', SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  const from = new Date(Date.now() - 60_000).toISOString()
  fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    seed: 11,
    rate: 60,
    timeScale: 0.05,
    maxTraces: 30,
    portBase: 0,
    log: () => {},
  })
  await fleet.trafficDone
  // The next release of the tool server changes `weather`'s input schema; the fixed planner uses it.
  const toolsV2 = await fleet.spawn('tools-mcp', { DEMO_TOOLS_SCHEMA: 'v2' })
  const fixedPlanner = await fleet.spawn('planner', { PLANNER_RELEASE: 'fixed', MCP_URL: `${toolsV2}/mcp` })
  const client = new AgentClient(fixedPlanner, 'planner-agent')
  for (const text of ['check the weather in Atlantis', 'check the weather in Oslo'])
    await client.sendRaw({ text, meta: {} }, {})
  await fleet.stop()
  fleet = undefined
  await server.drain()
  await server.deps.registry.scanner.scan()
  range = `from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}`
  const { body } = await getJson<ListTracesResponse>(server, `/api/v1/traces?limit=500&${range}`)
  spans = (
    await Promise.all(
      body.traces.map(async (t) => (await getJson<GetTraceResponse>(server, `/api/v1/traces/${t.traceId}`)).body.spans),
    )
  ).flat()
}, 180_000)

afterAll(async () => {
  await fleet?.stop()
  await server?.stop()
})

describe('registry on the demo fleet', () => {
  it('lists the planner, researcher, executor and canary executor with their cards and versions', async () => {
    const { body } = await getJson<RegistryAgentsResponse>(server, `/api/v1/registry/fleet/agents?${range}`)
    const agent = (name: string) => body.agents.find((a) => a.name === name)!
    expect(agent('planner-agent').releases.map((r) => r.release)).toEqual(['2.3.0', '2.3.1'])
    expect(agent('planner-agent').releases.map((r) => r.card?.summary.version)).toEqual(['2.3.0', '2.3.1'])
    expect(agent('researcher-agent').card).toMatchObject({
      protocol: '1.0',
      source: 'sdk',
      summary: { version: '3.1.2' },
    })
    expect(agent('researcher-agent').card?.summary.endpoints[0]?.url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/a2a\/jsonrpc$/,
    )
    const executor = agent('executor-agent')
    expect(executor.releases.map((r) => [r.release, r.card?.summary.version])).toEqual([
      ['1.4.0', '1.4.0'],
      ['1.5.0-canary', '1.5.0-canary'],
    ])
    expect(executor.releases.every((r) => r.health.calls > 0)).toBe(true)
    expect(agent('planner').services).toEqual(['planner-agent'])
  })

  it('lists every MCP tool with its schema and callers, health equal to the trace data', async () => {
    const { body } = await getJson<RegistryToolsResponse>(server, `/api/v1/registry/fleet/tools?${range}`)
    for (const name of ['search', 'weather', 'calculator', 'db_lookup']) {
      const tool = body.tools.find((t) => t.name === name)!
      expect(tool, name).toMatchObject({
        server: 'demo-tools',
        isMcp: true,
        schemaSource: 'tools/list',
        transport: 'streamable-http',
      })
      expect(tool.inputSchema, name).toMatchObject({ type: 'object' })
      const calls = spans.filter((s) => s.toolRole === 'call' && s.toolName === name)
      expect(tool.health.calls, name).toBe(calls.length)
      expect(tool.health.failures, name).toBe(calls.filter((s) => s.failed).length)
      const callers = [...new Set(calls.map((s) => s.agentName))].sort()
      expect(tool.callers.map((c) => c.agent).sort(), name).toEqual(callers)
    }
    expect(body.tools.find((t) => t.name === 'weather')?.inputSchema).toMatchObject({
      properties: { units: { enum: ['c', 'f'] } },
    })
  })

  it('reports agent health equal to the trace data', async () => {
    const { body } = await getJson<RegistryAgentsResponse>(server, `/api/v1/registry/fleet/agents?${range}`)
    for (const name of ['planner', 'researcher', 'executor']) {
      const agent = body.agents.find((a) => a.name === name)!
      const cost = spans
        .filter((s) => s.llmRole === 'call' && s.agentName === name)
        .reduce((n, s) => n + (s.costUsd ?? 0), 0)
      expect(agent.health.calls, name).toBe(spans.filter((s) => s.kind === 'agent' && s.agentName === name).length)
      expect(agent.health.costUsd, name).toBeCloseTo(cost, 8)
    }
  })

  it('shows the planner release switch and the changed tool schema as drift events with diffs', async () => {
    const { body } = await getJson<RegistryEventsResponse>(server, `/api/v1/registry/events?${range}`)
    const version = body.events.find((e) => e.kind === 'agent_version' && e.subject === 'planner-agent')!
    expect(version.summary).toBe('planner-agent: new version 2.3.1 (was 2.3.0)')
    expect(version.diff.changes).toEqual(
      expect.arrayContaining([
        { path: '/release', before: '2.3.0', after: '2.3.1' },
        { path: '/card/version', before: '2.3.0', after: '2.3.1' },
      ]),
    )
    const schema = body.events.find((e) => e.kind === 'tool_schema_changed' && e.subject === 'demo-tools/weather')!
    expect(schema.diff.changes.map((c) => c.path)).toContain('/properties/units')
  })
})
