/**
 * Issue 13's acceptance on the real fleet: a fresh server (nothing stored, every series on the
 * cold-start tier) and the demo started at minute 18 of its cycle, run on demo time about 7× faster
 * (the fleet bench's harness: spans are stretched back onto the demo's timeline, the detector is
 * evaluated once per demo minute). 20 demo minutes: 2 steady, the cost spike (cycle minutes 20–25),
 * 13 steady, with the canary and the looping planner throughout; a planner started the way
 * `sightline regress` starts agents sends looping tasks alongside. Then:
 * - the cost spike is an incident within 5 minutes of its start, explained and with its traces;
 * - the canary's latency regression is one incident;
 * - nothing else: every incident is one of the scheduled scenarios (so none in the 15 minutes of
 *   steady traffic), a handful in all, each with an explanation and traces;
 * - none comes from regression-runner traffic, which the trace list shows as regression runs.
 * About 3½ minutes on a 2-core machine.
 */
import { randomBytes } from 'node:crypto'
// Relative (test-only): @sightline/schema is not a dependency of the demo.
import type {
  Anomaly,
  Incident,
  ListAnomaliesResponse,
  ListIncidentsResponse,
  ListTracesResponse,
} from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFleet, type FleetRunResult } from '@sightline/ingest/testing/fleet-run'
import { matches } from '@sightline/ingest/testing/fleet-score'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { AgentClient } from '../src/a2a/call.js'
import { sleep } from '../src/lib/config.js'

const MIN = 60_000
/** 6.7× faster: at 10× this 2-core machine's own load already shows in the stretched latencies. */
const TIME_SCALE = 0.15
const ATLANTIS = 'check the weather in Atlantis'

let server: TestServer
let run: FleetRunResult
let incidents: Incident[] = []
let anomalies: Anomaly[] = []
const replayTraces: string[] = []

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0', SIGHTLINE_RESOLVE_QUIET_MS: '300' })
  const anchorMs = Math.floor(Date.now() / (30 * MIN)) * 30 * MIN - 60 * MIN
  run = await runFleet({
    server,
    apiKey: TEST_API_KEY,
    anchorMs,
    startMinute: 18,
    minutes: 20,
    timeScale: TIME_SCALE,
    alongside: async (fleet) => {
      // Regression-runner traffic: the buggy planner, started as the runner starts agents, looping on Atlantis.
      const replay = new AgentClient(
        await fleet.spawn('planner', { PLANNER_RELEASE: 'buggy', SIGHTLINE_REGRESSION_CASE: 'rc-atlantis-loop' }),
        'planner-agent',
      )
      for (let i = 0; i < 6; i++) {
        const traceId = randomBytes(16).toString('hex')
        await replay.sendRaw(
          { text: ATLANTIS, meta: {} },
          { serviceParameters: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
        )
        replayTraces.push(traceId)
        await sleep(2 * MIN, TIME_SCALE)
      }
    },
  })
  const range = `from=${new Date(anchorMs - MIN).toISOString()}&to=${new Date(run.endMs + 10 * MIN).toISOString()}`
  incidents = (await getJson<ListIncidentsResponse>(server, `/api/v1/incidents?${range}&limit=500`)).body.incidents
  anomalies = (await getJson<ListAnomaliesResponse>(server, `/api/v1/anomalies?${range}&limit=500`)).body.anomalies
}, 420_000)

afterAll(async () => {
  await server?.stop()
})

const window = (scenario: FleetRunResult['windows'][number]['scenario']) =>
  run.windows.find((w) => w.scenario === scenario)!
const describeAll = () => JSON.stringify(incidents.map((i) => [i.title, i.firstSeenAt, i.openedAt, i.explanation]))

describe('the demo fleet on a fresh server, from minute 18', () => {
  it('turns the cost spike into an incident within 5 minutes of its start, explained with the driver', () => {
    const spike = window('cost_spike')
    const found = incidents.filter((i) => matches(i, spike))
    expect(found, describeAll()).toHaveLength(1)
    const [cost] = found
    expect(Date.parse(cost!.openedAt) - spike.fromMs).toBeLessThanOrEqual(5 * MIN)
    expect(cost!.explanation).toMatch(
      /^cost per trace \d+(\.\d)?× baseline .*since \d\d:\d\d UTC, driven by claude-opus-4-20250514 in planner/,
    )
    expect(cost!.traceCount).toBeGreaterThan(10)
    expect(cost!.severity).not.toBe('info')
  })

  it("makes the canary's latency regression one incident", () => {
    const canary = incidents.filter((i) => matches(i, window('canary')))
    expect(canary, describeAll()).toHaveLength(1)
    expect(canary[0]).toMatchObject({
      family: 'release_latency',
      scope: expect.objectContaining({ release: '1.5.0-canary' }),
    })
  })

  it('raises nothing but the scheduled scenarios: a handful of incidents, each explained and with its traces', () => {
    const unexpected = incidents.filter((i) => !run.windows.some((w) => matches(i, w)))
    expect(unexpected, describeAll()).toEqual([])
    expect(incidents.length).toBeLessThanOrEqual(6)
    for (const i of incidents) {
      expect(i.explanation.length, i.title).toBeGreaterThan(20)
      expect(i.traceIds.length, i.title).toBeGreaterThan(0)
      expect(i.traceCount, i.title).toBeGreaterThan(0)
    }
    expect(incidents.filter((i) => matches(i, window('loop')))).toHaveLength(1)
  })

  it('keeps regression-runner traffic out of every finding and incident, and lists it as regression runs', async () => {
    expect(replayTraces.length).toBe(6)
    const replays = new Set(replayTraces)
    expect(anomalies.filter((a) => a.traceIds.some((t) => replays.has(t)))).toEqual([])
    expect(incidents.filter((i) => i.traceIds.some((t) => replays.has(t)))).toEqual([])
    const listed = await getJson<ListTracesResponse>(
      server,
      `/api/v1/traces?regression=true&limit=50&from=${new Date(run.anchorMs - MIN).toISOString()}&to=` +
        `${new Date(run.endMs + 10 * MIN).toISOString()}`,
    )
    expect(listed.body.traces.map((t) => t.traceId).sort()).toEqual([...replayTraces].sort())
    expect(listed.body.traces.every((t) => t.isRegressionRun && t.tags.includes('loop'))).toBe(true)
  })
})
