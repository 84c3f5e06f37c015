/**
 * End to end: a buggy agent's incident is ingested, the proposed case is fetched from the API and
 * replayed by the runner (real MCP replay server, real A2A stub) against the buggy agent (exit 1),
 * the fixed agent (exit 0), a stopped agent (exit 2) and the wrong release (exit 3); the generated
 * Vitest file agrees; the runs show up as history per release.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  RegressionCaseSchema,
  type GetTraceResponse,
  type ListTracesResponse,
  type OverviewResponse,
  type RegressionCase,
  type RegressionRunsResponse,
} from '@sightline/schema'
import { generateVitestFile, type RegressionCaseProposal } from '@sightline/core'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { main } from '../../src/cli.js'
import type { CaseResult } from '../../src/regress/runner.js'
import { sendToAgent } from '../../src/regress/agent-client.js'
import { freePort, startAgentProcess } from '../../src/regress/agent-process.js'
import { sendCallerSpan } from '../../src/regress/request-span.js'
import { SightlineApi } from '../../src/regress/sightline-api.js'
import { startWorld } from '../../src/regress/world.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../../..')
const agentCmd = (mode: 'buggy' | 'fixed') =>
  `AGENT_MODE=${mode} ${process.execPath} --conditions=@sightline/source --import ` +
  `tsx ${path.join(here, 'weather-agent.ts')}`

/** The production world of the incident: the weather service does not know Atlantis. */
const productionWorld = RegressionCaseSchema.parse({
  schemaVersion: '1',
  id: 'production-world',
  title: 'world',
  createdAt: '2026-01-01T00:00:00Z',
  source: { traceId: '0'.repeat(32), rootSpanId: '', startTime: '' },
  agent: { name: 'weather-agent' },
  input: { text: '' },
  observed: { trajectory: [], outcome: { status: 'ok' }, usage: {} },
  failure: { category: 'other', summary: '' },
  recordings: {
    tools: [
      {
        tool: 'weather',
        args: { city: 'Atlantis' },
        result: { content: [{ type: 'text', text: 'not found: Atlantis' }], isError: true },
      },
    ],
    agents: [{ agent: 'researcher-agent', answer: 'Atlantis is a legendary island; it has no weather station.' }],
  },
  expected: { trajectory: [], match: {} },
  assertions: [{ id: 'status', type: 'status' }],
  replay: { env: { MCP_URL: { kind: 'mcp' }, RESEARCHER_URL: { kind: 'a2a', agent: 'researcher-agent' } } },
})

/** The incident: the buggy agent's production trace. */
const incidentTraceId = 'feedc0de'.repeat(4)

let server: TestServer
let tmp: string
let caseFile: string
let rc: RegressionCase
let proposal: RegressionCaseProposal

async function cli(args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(['regress', ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
  })
  return { code, stdout, stderr }
}
const common = () => ['--sightline-url', server.url, '--api-key', TEST_API_KEY, '--runs', '1', '--timeout', '30']

beforeAll(async () => {
  server = await startTestServer()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-regress-'))
  // The incident: the buggy agent in the production world, traced under a known trace id.
  const world = await startWorld(productionWorld)
  const port = await freePort()
  const target = `http://127.0.0.1:${port}`
  const agent = await startAgentProcess(
    agentCmd('buggy'),
    { ...world.env, PORT: String(port), SIGHTLINE_URL: server.url, SIGHTLINE_API_KEY: TEST_API_KEY },
    target,
    'a2a-1.0',
    30_000,
  )
  const traceId = incidentTraceId
  const startMs = Date.now()
  const text = 'check the weather in Atlantis'
  const reply = await sendToAgent({
    target,
    protocol: 'a2a-1.0',
    text,
    metadata: {},
    traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    timeoutMs: 30_000,
  })
  expect(reply.ok).toBe(false)
  // The production caller traces its request too: the trace's root.
  await sendCallerSpan(server.url, TEST_API_KEY, {
    traceId,
    spanId: '00f067aa0ba902b7',
    name: 'POST /ask',
    service: 'weather-frontend',
    startMs,
    endMs: Date.now(),
    input: text,
    output: reply.text,
  })
  await agent.stop()
  await world.close()
  await server.drain()
  expect(await new SightlineApi(server.url, TEST_API_KEY).waitForTrace(traceId, Date.now() + 20_000)).toBeDefined()
  const res = await fetch(`${server.url}/api/v1/traces/${traceId}/regression-case`, { headers: server.authHeaders })
  expect(res.status).toBe(200)
  proposal = (await res.json()) as RegressionCaseProposal
  rc = RegressionCaseSchema.parse(proposal.case)
  caseFile = path.join(tmp, `${rc.id}.json`)
  fs.writeFileSync(caseFile, JSON.stringify(rc, null, 2))
  const saved = await fetch(`${server.url}/api/v1/regression-cases`, {
    method: 'POST',
    headers: { ...server.authHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ suite: 'ci', case: rc }),
  })
  expect(saved.status).toBe(201)
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('regression case from a looping agent', () => {
  it('proposes the loop as the failure, a collapsed expected trajectory and assertions that fail on the source', () => {
    expect(rc.failure.category).toBe('loop')
    expect(rc.failure.summary).toMatch(/weather \{"city":"Atlantis"\} called 6 times/)
    expect(rc.expected.trajectory.map((s) => `${s.kind}:${s.name}`)).toEqual([
      'agent_delegation:researcher-agent',
      'tool_call:weather',
      'tool_call:weather',
    ])
    expect(rc.recordings.tools[0]).toMatchObject({
      tool: 'weather',
      args: { city: 'Atlantis' },
      result: { isError: true },
    })
    expect(rc.recordings.agents[0]).toMatchObject({
      agent: 'researcher-agent',
      answer: expect.stringContaining('legendary'),
    })
    expect(rc.input.text).toBe('check the weather in Atlantis')
    expect(rc.agent).toMatchObject({ name: 'weather-agent', release: '1.0.0', protocol: 'a2a-1.0' })
    // The outcome the trace list shows: the agent failed (the caller's request span judges nothing).
    expect(rc.observed.outcome).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^weather(-agent)?: /),
    })
    expect(rc.observed.usage).toMatchObject({ toolCalls: 6, llmCalls: 6 })
    expect(proposal.warnings).toEqual([])
    const check = (id: string) => proposal.checks.find((c) => c.assertionId === id)!.checkedAgainstSource.wouldFail
    expect(check('no-repeated-calls')).toBe(true)
    expect(check('trajectory')).toBe(true)
    expect(check('status-ok')).toBe(true)
  })

  it('exit 1 against the buggy agent, with JUnit and JSON reports', async () => {
    const junit = path.join(tmp, 'buggy.xml')
    const json = path.join(tmp, 'buggy.json')
    const r = await cli([
      'run',
      caseFile,
      '--agent-cmd',
      agentCmd('buggy'),
      ...common(),
      '--junit',
      junit,
      '--json',
      json,
    ])
    console.log(`--- buggy agent (exit ${r.code})\n${r.stdout}${r.stderr}`)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/no-repeated-calls: weather \{"city":"Atlantis"\} called 6 time/)
    expect(fs.readFileSync(junit, 'utf8')).toMatch(/<failure type="max_repeated_calls"/)
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toMatchObject({ verdict: 'fail', exitCode: 1 })
  }, 90_000)

  it('exit 0 against the fixed agent', async () => {
    const r = await cli(['run', caseFile, '--agent-cmd', agentCmd('fixed'), ...common()])
    console.log(`--- fixed agent (exit ${r.code})\n${r.stdout}${r.stderr}`)
    expect(r.code).toBe(0)
  }, 90_000)

  it('exit 0 over A2A 0.3 too (message/send)', async () => {
    const r = await cli(['run', caseFile, '--agent-cmd', agentCmd('fixed'), '--protocol', 'a2a-0.3', ...common()])
    expect(r.code, r.stdout + r.stderr).toBe(0)
  }, 90_000)

  it('exit 2 against a stopped agent', async () => {
    const r = await cli(['run', caseFile, '--target', `http://127.0.0.1:${await freePort()}`, ...common()])
    console.log(`--- stopped agent (exit ${r.code})\n${r.stdout}${r.stderr}`)
    expect(r.code).toBe(2)
  }, 60_000)

  it('exit 2 for a bad case file', async () => {
    const bad = path.join(tmp, 'bad.json')
    fs.writeFileSync(bad, JSON.stringify({ ...rc, assertions: [] }))
    const r = await cli(['run', bad, '--target', 'http://127.0.0.1:1', ...common()])
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/assertions/)
  })

  it('exit 3 when the agent is not the expected release', async () => {
    const r = await cli(['run', caseFile, '--agent-cmd', agentCmd('fixed'), '--expect-release', '9.9.9', ...common()])
    console.log(`--- wrong release (exit ${r.code})\n${r.stdout}${r.stderr}`)
    expect(r.code).toBe(3)
  }, 90_000)

  // Before the serve-world test: that agent is started by hand, unmarked, so its traffic is production.
  it("marks its agent's traffic as a replay: off the default list and rollups, listed by regression=true", async () => {
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'buggy.json'), 'utf8')) as { cases: CaseResult[] }
    const replay = report.cases[0]!.runs[0]!.traceId
    expect(report.cases[0]!.markedRunId).toMatch(/^[0-9a-f]{16}$/)
    await server.drain()
    const detail = (await getJson<GetTraceResponse>(server, `/api/v1/traces/${replay}`)).body
    expect(detail.trace).toMatchObject({ isRegressionRun: true, outcome: 'failed' })
    // Every span: the runner's own request span and the agent's, marked through OTEL_RESOURCE_ATTRIBUTES.
    expect(new Set(detail.spans.map((s) => s.serviceName))).toEqual(new Set(['sightline-regress', 'weather-agent']))
    expect(detail.spans.every((s) => s.flags.includes('regression_run'))).toBe(true)
    for (const span of detail.spans)
      expect(span.resourceAttributes).toMatchObject({
        'sightline.regress.case_id': rc.id,
        'sightline.regress.run_id': report.cases[0]!.markedRunId,
      })
    const listed = async (query: string) =>
      (await getJson<ListTracesResponse>(server, `/api/v1/traces?limit=500${query}`)).body.traces.map((t) => t.traceId)
    expect(await listed('')).toEqual([incidentTraceId])
    const replays = await listed('&regression=true')
    expect(replays).toContain(replay)
    expect(replays).not.toContain(incidentTraceId)
    expect((await listed('&regression=all')).length).toBe(replays.length + 1)
    // The rollups hold the incident alone, however many replays ran since.
    const incident = (await getJson<GetTraceResponse>(server, `/api/v1/traces/${incidentTraceId}`)).body.trace
    expect(incident.isRegressionRun).toBe(false)
    const overview = (await getJson<OverviewResponse>(server, '/api/v1/analytics/overview')).body.current
    expect({ traces: overview.traces, llmCalls: overview.llmCalls, toolCalls: overview.toolCalls }).toEqual({
      traces: 1,
      llmCalls: incident.llmCallCount,
      toolCalls: incident.toolCallCount,
    })
  }, 30_000)

  it('a running agent pointed at serve-world URLs (--target --no-world)', async () => {
    const world = await startWorld(rc)
    const port = await freePort()
    const target = `http://127.0.0.1:${port}`
    const agent = await startAgentProcess(
      agentCmd('fixed'),
      { ...world.env, PORT: String(port), SIGHTLINE_URL: server.url, SIGHTLINE_API_KEY: TEST_API_KEY },
      target,
      'a2a-1.0',
      30_000,
    )
    try {
      const r = await cli(['run', caseFile, '--target', target, '--no-world', ...common()])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(world.mcpCalls.map((c) => c.matched)).toEqual([true, true])
    } finally {
      await agent.stop()
      await world.close()
    }
  }, 90_000)

  it('keeps run history per release', async () => {
    const res = await fetch(`${server.url}/api/v1/regression-cases/${rc.id}/runs`, { headers: server.authHeaders })
    const body = (await res.json()) as RegressionRunsResponse
    expect(body.releases.map((h) => [h.release, h.lastVerdict])).toEqual([
      ['1.0.0', 'fail'],
      ['1.0.1', 'pass'],
      ['(unknown)', 'error'],
    ])
    expect(body.summary).toBe('failing on 1.0.0, passing since 1.0.1')
    expect(body.runs.every((r) => /^[0-9a-f]{32}$/.test(r.traceId))).toBe(true)
  })

  it('pull writes the suite into a folder', async () => {
    const out = path.join(tmp, 'pulled')
    const r = await main(
      ['regress', 'pull', '--suite', 'ci', '--out', out, '--url', server.url, '--api-key', TEST_API_KEY],
      { stdout: () => {}, stderr: () => {}, env: {} },
    )
    expect(r).toBe(0)
    expect(RegressionCaseSchema.parse(JSON.parse(fs.readFileSync(path.join(out, `${rc.id}.json`), 'utf8'))).id).toBe(
      rc.id,
    )
  })

  it('the generated Vitest file passes and fails the same way', async () => {
    const dir = fs.mkdtempSync(path.join(here, 'generated-'))
    try {
      fs.writeFileSync(path.join(dir, `${rc.id}.json`), JSON.stringify(rc))
      const fromApi = await (
        await fetch(`${server.url}/api/v1/regression-cases/${rc.id}/vitest`, { headers: server.authHeaders })
      ).text()
      expect(fromApi).toBe(generateVitestFile(rc))
      const file = path.join(dir, `${rc.id}.regress.test.ts`)
      fs.writeFileSync(file, fromApi)
      const runVitest = (mode: 'buggy' | 'fixed') =>
        promisify(execFile)(path.join(root, 'node_modules/.bin/vitest'), ['run', file, '--root', root], {
          cwd: root,
          env: {
            ...process.env,
            AGENT_CMD: agentCmd(mode),
            SIGHTLINE_URL: server.url,
            SIGHTLINE_API_KEY: TEST_API_KEY,
            REGRESSION_RUNS: '1',
          },
        }).then(
          () => 0,
          (err: { code?: number }) => err.code ?? -1,
        )
      expect(await runVitest('fixed')).toBe(0)
      expect(await runVitest('buggy')).toBe(1)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)
})
