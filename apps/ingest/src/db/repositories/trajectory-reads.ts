/**
 * What the trajectory and release-latency rules read (detect/trajectory.ts, detect/release-latency.ts):
 * resolved traces of a bounded recent window, never raw spans (the resolver already counted each
 * call once), production traffic only (`sightline regress` replays are left out).
 */
import type { Histogram } from '@sightline/core'
import type { Store } from '../client.js'
import { chTimeSeconds, sql, str, u64 } from '../sql.js'
import { currentStates } from './trace-page.js'

const num = Number
const chMs = (ms: number) => sql`toDateTime64(${str(chTimeSeconds(ms))}, 3, 'UTC')`

/** Production traces that started in (from, to]. */
const recentTraces = (from: number, to: number) =>
  sql`start_time > ${chMs(from)} AND start_time <= ${chMs(to)} AND NOT is_regression_run`
/**
 * ...that have finished: a trace whose root has not arrived yet is resolved without the agents
 * above its spans (its loop would be nobody's), so its findings wait for the root. A root that
 * never comes is the unfinished-agent rule's.
 */
const finishedTraces = (from: number, to: number) => sql`${recentTraces(from, to)} AND outcome != 'running'`

/** Finished traces the resolver tagged `loop`, with their loops as JSON (`LoopFinding[]`). */
export async function loopTraces(
  store: Store,
  from: number,
  to: number,
): Promise<Array<{ projectId: string; traceId: string; loopsJson: string }>> {
  const rows = await store.query<{ project_id: string; trace_id: string; loops: string }>(sql`
    SELECT project_id, trace_id, loops FROM traces FINAL WHERE ${finishedTraces(from, to)} AND has(tags, 'loop')`)
  return rows.map((r) => ({ projectId: r.project_id, traceId: r.trace_id, loopsJson: r.loops }))
}

/** Finished traces with at least `minToolErrors` failed tool calls. */
export async function toolErrorTraces(
  store: Store,
  from: number,
  to: number,
  minToolErrors: number,
): Promise<Array<{ projectId: string; traceId: string; agent: string; toolErrors: number; tools: string[] }>> {
  const rows = await store.query<{
    project_id: string
    trace_id: string
    agent: string
    n: string
    tools: string[]
  }>(sql`
    SELECT project_id, trace_id, root_agent AS agent, tool_errors AS n, tools FROM traces FINAL
    WHERE ${finishedTraces(from, to)} AND tool_errors >= ${u64(minToolErrors)}`)
  return rows.map((r) => ({
    projectId: r.project_id,
    traceId: r.trace_id,
    agent: r.agent,
    toolErrors: num(r.n),
    tools: r.tools,
  }))
}

export interface UnfinishedTrace {
  projectId: string
  traceId: string
  agent: string
  outcome: string
  failureReason: string
  lastMs: number
}

/**
 * Traces still `running` (or judged without a root once settled: `partial`) whose last span ended
 * before `quietBefore`, and failed traces whose failure is a time-out.
 */
export async function unfinishedTraces(
  store: Store,
  from: number,
  to: number,
  quietBefore: number,
): Promise<UnfinishedTrace[]> {
  const rows = await store.query<{
    project_id: string
    trace_id: string
    agent: string
    outcome: string
    failure_reason: string
    last_ms: string
  }>(sql`
    SELECT project_id, trace_id, root_agent AS agent, outcome, failure_reason,
      toUnixTimestamp64Milli(end_time) AS last_ms
    FROM traces FINAL
    WHERE ${recentTraces(from, to)} AND (
      ((outcome = 'running' OR has(tags, 'partial')) AND end_time < ${chMs(quietBefore)})
      OR (outcome = 'failed' AND positionCaseInsensitive(failure_reason, 'timeout') > 0))`)
  return rows.map((r) => ({
    projectId: r.project_id,
    traceId: r.trace_id,
    agent: r.agent,
    outcome: r.outcome,
    failureReason: r.failure_reason,
    lastMs: num(r.last_ms),
  }))
}

/** Per finished trace: its root agent, span count, cost and tokens, as resolved. */
export interface TraceTotals {
  projectId: string
  traceId: string
  agent: string
  spans: number
  cost: number
  tokens: number
}

const traceTotalsQuery = (from: number, to: number) => sql`
  SELECT project_id, trace_id, root_agent AS agent, span_count AS spans, toFloat64(ifNull(cost_usd, 0)) AS cost,
    input_tokens + output_tokens AS tokens
  FROM traces FINAL WHERE ${finishedTraces(from, to)}`

/** Totals of the finished traces of (from, to] that have a root agent. */
export async function agentTraceTotals(store: Store, from: number, to: number): Promise<TraceTotals[]> {
  const rows = await store.query<{
    project_id: string
    trace_id: string
    agent: string
    spans: string
    cost: number
    tokens: string
  }>(sql`SELECT * FROM (${traceTotalsQuery(from, to)}) WHERE agent != ''`)
  return rows.map((r) => ({
    projectId: r.project_id,
    traceId: r.trace_id,
    agent: r.agent,
    spans: num(r.spans),
    cost: num(r.cost),
    tokens: num(r.tokens),
  }))
}

/** Per agent over (from, to]: trace count, and p99, median and MAD of [spans, cost, tokens] per trace. */
export interface AgentTotalsStats {
  projectId: string
  agent: string
  traces: number
  p99: number[]
  median: number[]
  mad: number[]
}

export async function agentTotalsStats(store: Store, from: number, to: number): Promise<AgentTotalsStats[]> {
  // One pass over the week's current states, without FINAL, the MAD from each agent's values in
  // memory (3 numbers a trace): it runs hourly in the background, and every console query waits
  // behind it on the embedded store. Two FINAL passes (median, then a join) took 0.53–0.9 s at 10M
  // spans, this 0.18–0.6 s, with the same figures.
  const rows = await store.query<{
    project_id: string
    agent: string
    n: string
    p99: number[]
    med: number[]
    mad: number[]
  }>(sql`
    SELECT project_id, agent, length(v[1]) AS n,
      arrayMap(x -> arrayReduce('quantileExact(0.99)', x), v) AS p99,
      arrayMap(x -> arrayReduce('quantileExactInclusive(0.5)', x), v) AS med,
      arrayMap((x, m) -> arrayReduce('quantileExactInclusive(0.5)', arrayMap(y -> abs(y - m), x)), v, med) AS mad
    FROM (
      SELECT project_id, root_agent AS agent,
        [groupArray(toFloat64(span_count)), groupArray(toFloat64(ifNull(cost_usd, 0))),
          groupArray(toFloat64(input_tokens + output_tokens))] AS v
      FROM traces WHERE ${currentStates(sql`${finishedTraces(from, to)} AND root_agent != ''`)}
      GROUP BY project_id, root_agent
    )`)
  return rows.map((r) => ({
    projectId: r.project_id,
    agent: r.agent,
    traces: num(r.n),
    p99: r.p99.map(num),
    median: r.med.map(num),
    mad: r.mad.map(num),
  }))
}

/** Agent runs of (from, to] per (agent, release), from the `agent_release` rollups of resolved traces. */
export async function agentReleaseLatency(
  store: Store,
  from: number,
  to: number,
): Promise<Array<{ projectId: string; agent: string; release: string; runs: number; latency: Histogram }>> {
  const rows = await store.query<{ project_id: string; key: string; n: string; lat: [number[], number[]] }>(sql`
    SELECT project_id, dim_value AS key, sum(units) AS n, sumMap(latency) AS lat
    FROM agg_5m
    WHERE dim_type = 'agent_release' AND bucket >= toStartOfFiveMinutes(${chMs(from)}) AND bucket <= ${chMs(to)}
    GROUP BY project_id, dim_value HAVING n > 0`)
  return rows.map((r) => {
    const [agent = '', release = ''] = r.key.split('\u0000')
    const [buckets, counts] = r.lat
    return {
      projectId: r.project_id,
      agent,
      release,
      runs: num(r.n),
      latency: { buckets: buckets.map(num), counts: counts.map(num) },
    }
  })
}

/** The slowest production traces of (from, to] in which a release ran: the "why" of a release finding. */
export async function slowestReleaseTraces(
  store: Store,
  projectId: string,
  release: string,
  from: number,
  to: number,
): Promise<string[]> {
  const rows = await store.query<{ trace_id: string }>(sql`
    SELECT trace_id FROM traces FINAL
    WHERE project_id = ${str(projectId)} AND NOT is_regression_run AND start_time > ${chMs(from)}
      AND start_time <= ${chMs(to)}
      AND has(releases, ${str(release)})
    ORDER BY duration_ms DESC, trace_id LIMIT 10`)
  return rows.map((r) => r.trace_id)
}
