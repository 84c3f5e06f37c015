/**
 * The demo's planner spans carry what a regression case needs: the Atlantis loop from the buggy
 * planner (2.3.0) is proposed as a loop with the input text, the recorded tool answer and only the
 * MCP server to replay (the planner's in-process `invoke_agent planner` is not a sub-agent), and the
 * case replays with the CLI runner: 2.3.0 fails, 2.3.1 passes. The console's e2e test
 * (apps/web/e2e/regression.e2e.test.ts) drives the same flow through the browser.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
// Relative (test-only): the demo depends on neither the schema package nor the CLI.
import type { GetTraceResponse, RegressionCaseProposalResponse } from '@sightline/schema'
import { runCase } from '@sightline/cli'
import { sendCallerSpan } from '@sightline/cli/regress/request-span'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { AgentClient } from '../src/a2a/call.js'
import { startFleet } from '../src/fleet.js'

const planner = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/bin/planner.ts')
/** The planner alone; MCP_URL, PORT and SIGHTLINE_* come from the runner, sub-agents are never called. */
const plannerCmd = (release: 'buggy' | 'fixed') =>
  `PLANNER_RELEASE=${release} DEMO_TIME_SCALE=0.05 RESEARCHER_URL=http://127.0.0.1:9 ` +
  `EXECUTOR_URL=http://127.0.0.1:9 ${process.execPath} --conditions=@sightline/source --import tsx ${planner}`

let server: TestServer
let proposal: RegressionCaseProposalResponse

beforeAll(async () => {
  server = await startTestServer()
  const fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    timeScale: 0.05,
    portBase: 0,
    traffic: false,
    log: () => {},
  })
  const traceId = randomBytes(16).toString('hex')
  const spanId = randomBytes(8).toString('hex')
  const startMs = Date.now()
  try {
    await new AgentClient(fleet.urls.planner, 'planner-agent').sendRaw(
      { text: 'check the weather in Atlantis', meta: {} },
      { serviceParameters: { traceparent: `00-${traceId}-${spanId}-01` } },
    )
  } finally {
    await fleet.stop()
  }
  // The caller traces its request too (the trace's root), as a production front end would.
  await sendCallerSpan(server.url, TEST_API_KEY, {
    traceId,
    spanId,
    name: 'POST /ask',
    service: 'demo-frontend',
    startMs,
    endMs: Date.now(),
    input: 'check the weather in Atlantis',
    output: '',
  })
  await server.drain()
  const res = await fetch(`${server.url}/api/v1/traces/${traceId}/regression-case`, { headers: server.authHeaders })
  expect(res.status).toBe(200)
  proposal = (await res.json()) as RegressionCaseProposalResponse
}, 90_000)

afterAll(async () => {
  await server?.stop()
})

describe('regression case from the demo planner', () => {
  it('proposes the loop with the input, the recorded tool answer and only the MCP world', () => {
    const rc = proposal.case
    expect(rc.failure).toMatchObject({ category: 'loop', detectedBy: 'detector:repeated_tool_call' })
    expect(rc.failure.summary).toMatch(/^Loop: weather \{"city":"Atlantis"\} called 8 times/)
    expect(rc.input.text).toBe('check the weather in Atlantis')
    expect(rc.agent).toMatchObject({ name: 'planner-agent', release: '2.3.0', protocol: 'a2a-1.0' })
    expect(rc.expected.trajectory.map((s) => `${s.kind}:${s.name}`)).toEqual(['tool_call:weather', 'tool_call:weather'])
    expect(rc.recordings.tools).toEqual([
      expect.objectContaining({
        tool: 'weather',
        args: { city: 'Atlantis' },
        result: expect.objectContaining({
          content: [expect.objectContaining({ text: expect.stringContaining('not found') })],
        }),
      }),
    ])
    expect(rc.recordings.agents).toEqual([])
    expect(rc.replay.env).toEqual({ MCP_URL: { kind: 'mcp' } })
    expect(proposal.warnings).toEqual([])
    expect(rc.observed.outcome.status).toBe('error')
    expect(rc.observed.usage.toolCalls).toBe(8)
    expect(proposal.checks.filter((c) => c.blocking && !c.checkedAgainstSource.wouldFail)).toEqual([])
  })

  it('replays: the buggy planner fails the case, the fixed one passes', async () => {
    const options = { sightlineUrl: server.url, apiKey: TEST_API_KEY, runs: 1, timeoutSeconds: 30, report: false }
    const buggy = await runCase(proposal.case, { ...options, agentCmd: plannerCmd('buggy') })
    expect(buggy.exitCode, buggy.summary).toBe(1)
    expect(buggy.runs[0]!.release).toBe('2.3.0')
    // The replay is marked: the planner the runner started exports with the runner's resource mark.
    const replay = await fetch(`${server.url}/api/v1/traces/${buggy.runs[0]!.traceId}`, { headers: server.authHeaders })
    const replayed = (await replay.json()) as GetTraceResponse
    expect(replayed.trace.isRegressionRun).toBe(true)
    expect(
      replayed.spans.filter((s) => s.serviceName === 'planner-agent').every((s) => s.flags.includes('regression_run')),
    ).toBe(true)
    const fixed = await runCase(proposal.case, { ...options, agentCmd: plannerCmd('fixed') })
    expect(fixed.exitCode, fixed.summary).toBe(0)
    expect(fixed.runs[0]!.release).toBe('2.3.1')
  }, 90_000)
})
