/**
 * The fleet registry through the real server: cards (valid, repeated, invalid), agents and tools seen
 * in traffic with health equal to the trace data of the same range, the fleet map and the traces
 * behind an edge, drift events, and the discovery exports.
 */
import { histogramOf, histogramQuantile } from '@sightline/core'
import type {
  DiscoveryAgentsResponse,
  EdgeTracesResponse,
  FleetMapResponse,
  GetTraceResponse,
  McpRegistryListResponse,
  RegisterCardResponse,
  RegistryAgentsResponse,
  RegistryEventsResponse,
  RegistryToolsResponse,
  Span,
} from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DriftScanner } from '../../src/registry/drift-scanner.js'
import { sendJson } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'
import { cardV03, cardV1, fleetTrace, traceIdOf, WEATHER_SCHEMA_V1, WEATHER_SCHEMA_V2 } from './fleet-traces.js'

let server: TestServer
const T0 = Date.now() - 3 * 3_600_000
const range = `from=${new Date(T0 - 600_000).toISOString()}&to=${new Date(Date.now() + 600_000).toISOString()}`
const seeds = Array.from({ length: 12 }, (_, i) => `r${i}`)

const postCard = (body: unknown, raw?: string) =>
  fetch(`${server.url}/api/v1/registry/cards`, {
    method: 'POST',
    headers: { ...server.authHeaders, 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  })

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_REGISTRY_SCAN_MS: '0', SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  // First hour: planner 2.3.0 with schema v1 and a calculator listed; 90 minutes later: 2.3.1, schema v2, no
  // calculator.
  for (const [i, seed] of seeds.entries()) {
    const late = i >= 8
    await sendJson(
      server.url,
      server.authHeaders,
      fleetTrace({
        seed,
        startMs: T0 + (late ? 90 * 60_000 : 0) + i * 60_000,
        plannerRelease: late ? '2.3.1' : '2.3.0',
        researcherFails: i % 5 === 1,
        weatherFails: i % 4 === 2,
        plannerCostUsd: 0.01 + i / 1000,
        listing:
          i === 0 || i === 7
            ? { weather: WEATHER_SCHEMA_V1, calculator: true }
            : i === 9
              ? { weather: WEATHER_SCHEMA_V2, calculator: false }
              : undefined,
      }),
    )
  }
  await server.drain()
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('agent cards', () => {
  it('validates and versions cards; the same card again is not a new revision', async () => {
    const first = await postCard({ card: cardV1('planner-agent', '2.3.0'), source: 'sdk' })
    expect(first.status).toBe(201)
    expect(await first.json()).toEqual<RegisterCardResponse>({
      agent: 'planner-agent',
      revision: 1,
      created: true,
      protocolVersion: '1.0',
    })
    const again = await postCard({ card: cardV1('planner-agent', '2.3.0'), source: 'sdk' })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ revision: 1, created: false })
    expect(await (await postCard({ card: cardV1('planner-agent', '2.3.1') })).json()).toMatchObject({
      revision: 2,
      created: true,
    })
    expect(
      await (await postCard({ card: cardV03('legacy-agent', '0.9.0'), source: 'cli', sourceUrl: 'card.json' })).json(),
    ).toMatchObject({ agent: 'legacy-agent', protocolVersion: '0.3' })
  })

  it('refuses bad JSON and cards outside the A2A schema, naming what is wrong, and stores nothing', async () => {
    const count = async () =>
      (await getJson<{ revisions: unknown[] }>(server, '/api/v1/registry/cards/planner-agent')).body.revisions.length
    const before = await count()
    const bad = await postCard(undefined, '{"card": {"name": ')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Malformed JSON/)
    const { skills: _skills, ...noSkills } = cardV1('planner-agent', '9.9.9')
    const wrong = await postCard({ card: { ...noSkills, supportedInterfaces: [{ url: 'http://x' }] } })
    expect(wrong.status).toBe(400)
    const message = ((await wrong.json()) as { error: { message: string } }).error.message
    expect(message).toContain('not a valid A2A 1.0 Agent Card')
    expect(message).toContain('supportedInterfaces[0].protocolBinding')
    expect(message).toContain('skills')
    const v03 = await postCard({ card: { ...cardV03('x', '1'), url: 'not a url' } })
    expect(((await v03.json()) as { error: { message: string } }).error.message).toContain(
      'not a valid A2A 0.3 Agent Card: url',
    )
    expect((await postCard({ card: 'nope' })).status).toBe(400)
    expect(await count()).toBe(before)
  })
})

describe('agents and tools seen in traffic', () => {
  it('reports health equal to the trace data of the same range', async () => {
    const details = await Promise.all(
      seeds.map(async (s) => (await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceIdOf(s)}`)).body),
    )
    const spans = details.flatMap((d) => d.spans)
    const { body } = await getJson<RegistryAgentsResponse>(server, `/api/v1/registry/fleet/agents?${range}`)
    const byName = new Map(body.agents.map((a) => [a.name, a]))
    const invocations = (agent: string) => spans.filter((s) => s.kind === 'agent' && s.agentName === agent)
    const ownCost = (agent: string) =>
      spans.filter((s) => s.llmRole === 'call' && s.agentName === agent).reduce((n, s) => n + (s.costUsd ?? 0), 0)
    const quantiles = (list: Span[]) =>
      [0.5, 0.95].map((q) => histogramQuantile(histogramOf(list.map((s) => s.durationMs)), q))

    const planner = byName.get('planner-agent')!
    const failedTraces = details.filter((d) => d.trace.outcome === 'failed').length
    expect(planner.health).toMatchObject({ calls: invocations('planner-agent').length, failures: failedTraces })
    expect(planner.health.costUsd).toBeCloseTo(ownCost('planner-agent'), 9)
    expect(planner.health.delegatedCostUsd).toBeCloseTo(ownCost('researcher-agent'), 9)
    expect([planner.health.p50Ms, planner.health.p95Ms]).toEqual(quantiles(invocations('planner-agent')))
    expect(planner.releases.map((r) => [r.release, r.health.calls])).toEqual([
      ['2.3.0', 8],
      ['2.3.1', 4],
    ])
    expect(planner.delegatesTo).toEqual(['researcher-agent'])
    expect(planner.tools).toEqual(['weather'])
    expect(planner.card).toMatchObject({
      revision: 2,
      protocol: '1.0',
      summary: { version: '2.3.1', skills: [{ id: 'planner-agent' }] },
    })
    expect(planner.releases.find((r) => r.release === '2.3.0')?.card?.revision).toBe(1)
    expect(planner.isA2a).toBe(true)

    const researcher = byName.get('researcher-agent')!
    expect(researcher.health.failures).toBe(invocations('researcher-agent').filter((s) => s.failed).length)
    expect(researcher.health.calls).toBe(12)
    expect(researcher.calledBy).toEqual(['planner-agent'])
    expect(researcher.services).toEqual(['researcher-agent'])
    expect(byName.get('legacy-agent')).toMatchObject({ card: { protocol: '0.3' }, health: { calls: 0 } })

    const { body: tools } = await getJson<RegistryToolsResponse>(server, `/api/v1/registry/fleet/tools?${range}`)
    const weather = tools.tools.find((t) => t.name === 'weather')!
    const weatherCalls = spans.filter((s) => s.toolRole === 'call' && s.toolName === 'weather')
    expect(weather).toMatchObject({
      server: 'demo-tools',
      isMcp: true,
      serverVersion: '1.0.0',
      transport: 'streamable-http',
      url: 'http://127.0.0.1:7301/mcp',
      schemaSource: 'tools/list',
      schemaVersions: 2,
      listed: true,
    })
    expect(weather.inputSchema).toEqual(WEATHER_SCHEMA_V2)
    expect(weather.health).toMatchObject({
      calls: weatherCalls.length,
      failures: weatherCalls.filter((s) => s.failed).length,
    })
    expect(weather.callers).toEqual([
      { agent: 'planner-agent', calls: 12, failures: weatherCalls.filter((s) => s.failed).length },
    ])
    expect(tools.tools.find((t) => t.name === 'calculator')).toMatchObject({ listed: false, health: { calls: 0 } })
  })

  it('draws the fleet map and opens the traces behind an edge', async () => {
    const { body } = await getJson<FleetMapResponse>(server, `/api/v1/registry/fleet/map?${range}`)
    const a2a = body.edges.find((e) => e.kind === 'a2a')!
    expect(a2a).toMatchObject({
      source: 'agent:planner-agent',
      target: 'agent:researcher-agent',
      sourceName: 'planner-agent',
      targetName: 'researcher-agent',
      calls: 12,
    })
    const mcp = body.edges.find((e) => e.kind === 'mcp')!
    expect(mcp).toMatchObject({ source: 'agent:planner-agent', target: 'tool:demo-tools/weather', calls: 12 })
    expect(body.nodes.find((n) => n.id === 'tool:demo-tools/weather')).toMatchObject({ group: 'demo-tools' })
    const { body: traces } = await getJson<EdgeTracesResponse>(
      server,
      `/api/v1/registry/fleet/edges/traces?${range}&kind=agent_agent&source=planner-agent&target=researcher-agent`,
    )
    expect(traces.traces.map((t) => t.traceId).sort()).toEqual(seeds.map(traceIdOf).sort())
    const none = await getJson<EdgeTracesResponse>(
      server,
      `/api/v1/registry/fleet/edges/traces?${range}&kind=agent_tool&source=researcher-agent&target=weather`,
    )
    expect(none.body.traces).toEqual([])
  })
})

describe('drift', () => {
  it('records a new version, a changed card, a changed schema and a tool no longer listed, once', async () => {
    // A scanner whose alerts are captured: changes from the last hour go out, older ones are only recorded.
    const alerts: Array<{ projectId: string; payload: { sightline: { kind: string } } }> = []
    const notifier = {
      send: (projectId: string, payload: object) =>
        void alerts.push({ projectId, payload: payload as (typeof alerts)[number]['payload'] }),
    }
    const { repository, health } = server.deps.registry
    const recorded = await new DriftScanner(repository, health, notifier, server.deps.logger, 0).scan()
    expect(alerts.map((a) => a.payload.sightline.kind).sort()).toEqual(['card_changed'])
    expect(alerts[0]!.projectId).toBe('default')
    const kinds = recorded.map((e) => `${e.kind} ${e.subject}`).sort()
    expect(kinds).toEqual(
      expect.arrayContaining([
        'agent_version planner-agent',
        'card_changed planner-agent',
        'tool_schema_changed demo-tools/weather',
        'tool_disappeared demo-tools/calculator',
      ]),
    )
    expect(await server.deps.registry.scanner.scan()).toEqual([])
    const { body } = await getJson<RegistryEventsResponse>(server, `/api/v1/registry/events?${range}`)
    const version = body.events.find((e) => e.kind === 'agent_version' && e.subject === 'planner-agent')!
    expect(version.summary).toBe('planner-agent: new version 2.3.1 (was 2.3.0)')
    expect(version.diff.changes).toEqual(
      expect.arrayContaining([{ path: '/release', before: '2.3.0', after: '2.3.1' }]),
    )
    const schema = body.events.find((e) => e.kind === 'tool_schema_changed')!
    expect(schema.diff.changes).toEqual([
      { path: '/properties/units', before: null, after: { type: 'string', enum: ['c', 'f'] } },
    ])
    const filtered = await getJson<RegistryEventsResponse>(server, `/api/v1/registry/events?${range}&kind=card_changed`)
    expect(filtered.body.events.map((e) => e.kind)).toEqual(['card_changed'])
  })
})

describe('discovery exports', () => {
  it('lists the newest card of every agent, filtered and paginated', async () => {
    const { body } = await getJson<DiscoveryAgentsResponse>(server, '/api/v1/registry/agents?limit=1')
    expect(body.agents.map((a) => a.name)).toEqual(['legacy-agent'])
    const next = await getJson<DiscoveryAgentsResponse>(
      server,
      `/api/v1/registry/agents?limit=1&cursor=${body.nextCursor}`,
    )
    expect(next.body.agents[0]).toMatchObject({ name: 'planner-agent', revision: 2, card: { version: '2.3.1' } })
    expect(next.body.nextCursor).toBeNull()
    expect(
      (await getJson<DiscoveryAgentsResponse>(server, '/api/v1/registry/agents?skill=search')).body.agents.map(
        (a) => a.name,
      ),
    ).toEqual(['legacy-agent'])
    expect(
      (await getJson<DiscoveryAgentsResponse>(server, '/api/v1/registry/agents?protocol=1.0')).body.agents.map(
        (a) => a.name,
      ),
    ).toEqual(['planner-agent'])
    expect((await getJson(server, '/api/v1/registry/agents?cursor=%%%')).status).toBe(400)
  })

  it('exports MCP servers as server.json with the observed tools under _meta', async () => {
    const { body } = await getJson<McpRegistryListResponse>(server, '/api/v1/registry/tools')
    expect(body.metadata).toEqual({ nextCursor: null, count: 1 })
    const entry = body.servers[0]!
    expect(entry.server).toMatchObject({
      name: 'local.sightline/demo-tools',
      version: '1.0.0',
      remotes: [{ type: 'streamable-http', url: 'http://127.0.0.1:7301/mcp' }],
    })
    const observed = entry._meta['dev.sightline/observed']
    expect(observed.tools.map((t) => t.name)).toEqual(['calculator', 'weather'])
    expect(observed.tools.find((t) => t.name === 'weather')).toMatchObject({
      inputSchema: WEATHER_SCHEMA_V2,
      callers: ['planner-agent'],
    })
  })

  it('is scoped to the project of the key', async () => {
    const other = await getJson(server, '/api/v1/registry/agents', { Authorization: 'Bearer not-a-key' })
    expect(other.status).toBe(401)
  })
})
