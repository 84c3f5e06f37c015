/**
 * `pnpm bench:anomaly --fleet`: detection judged on the real demo fleet. One fresh server (embedded
 * store, scheduler off), two runs of the fleet on demo time (time-warp.ts), each scored against the
 * windows the demo's own timeline schedules (fleet-score.ts):
 * 1. fresh install: project A, nothing stored before; every series starts on the cold-start tier;
 * 2. a day of history: project B, whose previous 25 hours are run 1's traces (one full 30-minute
 *    cycle, so spikes and database incidents included) copied 50 times back in time, straight into
 *    the resolved `traces` table (the rollups follow through their views): 25 h so the seasonal
 *    tiers judge it from the start. The detector evaluates the copied day's last half hour, as a
 *    server that had been running would have; then a second fleet run with another seed.
 * Env: ANOMALY_FLEET_MINUTES (per run, ≥ 30; default 30), ANOMALY_FLEET_RATE (runs per demo minute,
 * default 30), ANOMALY_FLEET_TIME_SCALE (default 0.2: at 0.1 this 2-core machine's own load shows
 * in the stretched latencies), ANOMALY_FLEET_DEBUG=1 (every finding). Last line:
 * `anomaly-fleet: precision=X recall=Y delay_p50_min=Z incidents_per_hour_steady=W`.
 */
import type { Incident } from '@sightline/schema'
import { sql, str, type SqlFragment } from '../../../src/db/sql.js'
import { startTestServer, TEST_API_KEY, type TestServer } from '../../../test/helpers/server.js'
import { runFleet, type FleetRunResult } from './fleet-run.js'
import { addRunScores, matches, scoreRun, summaryOf, type RunScore } from './fleet-score.js'

const MIN = 60_000
const CYCLE = 30 * MIN
const minutes = Math.max(30, Number(process.env.ANOMALY_FLEET_MINUTES ?? 30))
const timeScale = Number(process.env.ANOMALY_FLEET_TIME_SCALE ?? 0.2)
const rate = Number(process.env.ANOMALY_FLEET_RATE ?? 30)

/**
 * The run's incidents, read back through the API: those opened during it, and those about the
 * canary or the loops still active when it started (a server with history already knows them).
 */
async function incidentsOf(server: TestServer, apiKey: string, run: FleetRunResult): Promise<Incident[]> {
  const from = new Date(run.anchorMs - 2 * CYCLE).toISOString()
  const to = new Date(run.endMs + 30 * MIN).toISOString()
  const res = await fetch(`${server.url}/api/v1/incidents?from=${from}&to=${to}&limit=500`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  })
  const body = (await res.json()) as { incidents: Incident[] }
  const during = (i: Incident) => Date.parse(i.openedAt) >= run.anchorMs && Date.parse(i.openedAt) <= run.endMs
  const carriedOver = (i: Incident) =>
    Date.parse(i.openedAt) < run.anchorMs &&
    run.windows.some((w) => (w.scenario === 'canary' || w.scenario === 'loop') && matches(i, w))
  return body.incidents.filter((i) => during(i) || carriedOver(i))
}

/** A server that has been running: the detector goes through the copied day's last half hour first. */
async function warmUp(server: TestServer, anchorMs: number): Promise<void> {
  for (let t = anchorMs - CYCLE; t < anchorMs; t += MIN) await server.deps.detector.evaluate(t)
}

/**
 * The demo's users (`user-001` … `user-060`), shifted by copy: one cycle repeated 50 times would
 * otherwise give the same users all day, and a run with another seed would look like a shift of
 * traffic between the top spenders and the pooled rest.
 */
const userOf = (value: SqlFragment) =>
  sql`if(startsWith(${value}, 'user-'), concat('user-', leftPad(toString((toUInt32OrZero(substring(${value},
    6)) + k * 7) % 60 + 1), 3, '0')), ${value})`

/** Run 1's first cycle, 50 times, into the 25 hours before `anchorMs` of `projectId`. */
async function seedHistory(
  server: TestServer,
  fromProject: string,
  fromAnchorMs: number,
  projectId: string,
  anchorMs: number,
): Promise<number> {
  const at = (ms: number) =>
    sql`toDateTime64(${str(new Date(ms).toISOString().slice(0, 23).replace('T', ' '))}, 3, 'UTC')`
  const shiftSeconds = (anchorMs - fromAnchorMs) / 1000
  await server.deps.store.command(sql`
    INSERT INTO traces
    SELECT * EXCEPT (k) REPLACE (
      ${str(projectId)} AS project_id,
      concat(trace_id, 'h', toString(k)) AS trace_id,
      start_time + toIntervalSecond(${str(String(shiftSeconds))}::Int64 - k * 1800) AS start_time,
      end_time + toIntervalSecond(${str(String(shiftSeconds))}::Int64 - k * 1800) AS end_time,
      ${userOf(sql`user_id`)} AS user_id,
      arrayMap((t, v) -> if(t = 'user', ${userOf(sql`v`)}, v), contributions.dim_type,
        contributions.dim_value) AS \`contributions.dim_value\`)
    FROM (SELECT *, arrayJoin(range(1, 51)) AS k FROM traces FINAL
      WHERE project_id = ${str(fromProject)} AND sign = 1 AND start_time >= ${at(fromAnchorMs)}
        AND start_time < ${at(fromAnchorMs + CYCLE)})`)
  const [row] = await server.deps.store.query<{ n: string }>(
    sql`SELECT count() AS n FROM traces WHERE project_id = ${str(projectId)}`,
  )
  return Number(row?.n ?? 0)
}

/** ANOMALY_FLEET_DEBUG=1: every finding of the run, to see what an incident was made of. */
async function debugFindings(server: TestServer, projectId: string, run: FleetRunResult): Promise<void> {
  if (!process.env.ANOMALY_FLEET_DEBUG) return
  const rows = await server.deps.store.query<Record<string, string>>(sql`
    SELECT kind, tier, dimension, value, metric, toUnixTimestamp64Milli(started_at) AS s,
      toUnixTimestamp64Milli(last_seen_at) AS l, status,
      toString(round(observed, 4)) AS o, toString(round(expected, 4)) AS e, substring(incident_id, 1, 8) AS i
    FROM anomalies FINAL WHERE project_id = ${str(projectId)} AND kind != 'tool_loop' ORDER BY started_at`)
  const rel = (ms: string) => ((Number(ms) - run.anchorMs) / MIN).toFixed(1)
  for (const r of rows)
    console.log(
      `    finding ${rel(r.s!)}–${rel(r.l!)} ${r.kind}/${r.tier || '-'} ${r.dimension} ${r.value} ${r.metric} ${r.o} ` +
        `vs ${r.e} ${r.status} → ${r.i}`,
    )
}

function report(name: string, score: RunScore, run: FleetRunResult): void {
  const s = summaryOf(score)
  console.log(
    `${name}: ${score.incidents} incidents (${score.matched} matching), ${score.detected}/${score.windows} scheduled ` +
      `windows detected, delays ${score.delaysMin.map((d) => d.toFixed(0)).join('/')} min, ${score.steadyIncidents} ` +
      `in ${(score.steadyHours * 60).toFixed(0)} steady minutes; ${run.evaluations} evaluations, ` +
      `slowest ${run.slowestEvaluationMs} ms`,
  )
  console.log(
    `  precision=${s.precision.toFixed(2)} recall=${s.recall.toFixed(2)} delay_p50_min=${s.delayP50.toFixed(1)} ` +
      `incidents_per_hour_steady=${s.perHourSteady.toFixed(2)}`,
  )
  for (const line of score.lines) console.log(line)
}

export async function runFleetBench(): Promise<void> {
  const started = Date.now()
  const server = await startTestServer({
    SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
    SIGHTLINE_RESOLVE_QUIET_MS: '300',
    LOG_LEVEL: 'error',
  })
  try {
    console.log(
      `anomaly fleet bench: demo fleet at ${rate} runs/demo-minute, DEMO_TIME_SCALE=${timeScale}, ${minutes} demo ` +
        `minutes per run from cycle minute 0`,
    )
    // Stored time: whole cycles in the past, so the copied day and both runs lie before the wall clock.
    const anchorMs = Math.floor(Date.now() / CYCLE) * CYCLE - 2 * CYCLE - Math.ceil((minutes * MIN) / CYCLE) * CYCLE
    const log = (line: string) => console.log(`  ${line}`)
    const fresh = await runFleet({
      server,
      apiKey: TEST_API_KEY,
      anchorMs,
      startMinute: 0,
      minutes,
      timeScale,
      rate,
      seed: 1,
      log,
    })
    const freshScore = scoreRun(fresh, await incidentsOf(server, TEST_API_KEY, fresh))
    report('fresh install (cold start)', freshScore, fresh)
    await debugFindings(server, 'default', fresh)

    const second = await server.deps.projects.createProject('fleet-with-history')
    const copied = await seedHistory(server, 'default', anchorMs, second.projectId, anchorMs)
    console.log(
      `history: ${copied} traces copied into the 25 h before run 2; the detector catches up on its last half hour`,
    )
    await warmUp(server, anchorMs)
    const withHistory = await runFleet({
      server,
      apiKey: second.apiKey,
      anchorMs,
      startMinute: 0,
      minutes,
      timeScale,
      rate,
      seed: 2,
      log,
    })
    const historyScore = scoreRun(withHistory, await incidentsOf(server, second.apiKey, withHistory))
    report('a day of history (seasonal)', historyScore, withHistory)
    await debugFindings(server, second.projectId, withHistory)

    const all = summaryOf(addRunScores([freshScore, historyScore]))
    console.log(`elapsed ${((Date.now() - started) / 1000).toFixed(0)} s`)
    console.log(
      `anomaly-fleet: precision=${all.precision.toFixed(2)} recall=${all.recall.toFixed(2)} ` +
        `delay_p50_min=${Number.isNaN(all.delayP50) ? 'NaN' : all.delayP50.toFixed(1)} ` +
        `incidents_per_hour_steady=${all.perHourSteady.toFixed(2)}`,
    )
  } finally {
    await server.stop()
  }
}
