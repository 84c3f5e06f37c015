import type { AnomalyKind, AnomalyMetric } from '@sightline/schema'
import type { Store } from '../db/client.js'
import type { LoopFinding } from '@sightline/core'
import { sql, str, u64 } from '../db/sql.js'
import { MAD_TO_SIGMA } from './robust.js'
import { chDateTime } from './snapshot.js'

/**
 * Trajectory anomalies: single traces that behave unlike their agent, read from the resolved traces
 * of a bounded recent window (never raw spans: the resolver already counted each call once).
 */
export interface TrajectoryConfig {
  /** Spans started in (now − lookback, now] are examined. */
  lookbackMs: number
  /** Same tool + same arguments at least this many times in one trace is a loop. */
  loopMinRepeats: number
  /** Failed tool calls in one trace that make a burst (a tool failing across traces is the series tiers' error rate). */
  traceToolErrors: number
  /** An agent span still missing this long after its last child is an unfinished agent. */
  unfinishedAfterMs: number
  /** Agent baselines (spans, cost, tokens per trace) come from this much history... */
  historyMs: number
  /** ...and need at least this many traces before they can alert. */
  minAgentTraces: number
  /** A trace is far above its agent's usual when above the agent's p99, z > zOpen and ≥ minRatio × median... */
  zOpen: number
  minRatio: number
  /** ...and at least this big in absolute terms: a trace of $0.004 against a median of $0.001 is nobody's incident. */
  minTraceCostUsd: number
  minTraceTokens: number
  minTraceSpans: number
  /** Trace-level anomalies resolve after this long without new evidence. */
  resolveAfterMs: number
  agentStatsTtlMs: number
}

export const DEFAULT_TRAJECTORY_CONFIG: TrajectoryConfig = {
  lookbackMs: 60 * 60_000,
  loopMinRepeats: 4,
  traceToolErrors: 3,
  unfinishedAfterMs: 10 * 60_000,
  historyMs: 7 * 86_400_000,
  minAgentTraces: 20,
  zOpen: 5,
  minRatio: 3,
  minTraceCostUsd: 0.05,
  minTraceTokens: 20_000,
  minTraceSpans: 40,
  resolveAfterMs: 30 * 60_000,
  agentStatsTtlMs: 60 * 60_000,
}

export interface TrajectoryFinding {
  projectId: string
  kind: AnomalyKind
  dimension: 'trace' | 'tool' | 'release' | 'score'
  value: string
  metric: AnomalyMetric
  /** De-duplication key: one episode per key. */
  key: string
  /** The agent the finding is about ('' when none), for grouping it into an incident. */
  agent: string
  observed: number
  expected: number
  score: number
  traceIds: string[]
  summary: string
}

const ms = (value: number) => sql`toDateTime64(${str(chDateTime(value))}, 3, 'UTC')`
const num = Number

/** Production traces (never `sightline regress` replays) that started in (from, to]. */
const recentTraces = (from: number, to: number) =>
  sql`start_time > ${ms(from)} AND start_time <= ${ms(to)} AND NOT is_regression_run`
/**
 * ...that have finished: a trace whose root has not arrived yet is resolved without the agents
 * above its spans (its loop would be nobody's), so its findings wait for the root. A root that
 * never comes is the unfinished-agent rule's.
 */
const finishedTraces = (from: number, to: number) => sql`${recentTraces(from, to)} AND outcome != 'running'`

export async function findTrajectoryAnomalies(store: Store, nowMs: number, config: TrajectoryConfig, agentStats: AgentStatsCache): Promise<TrajectoryFinding[]> {
  const since = nowMs - config.lookbackMs
  const results = await Promise.all([
    findLoops(store, since, nowMs, config),
    findToolErrorBursts(store, since, nowMs, config),
    findUnfinished(store, since, nowMs, config),
    findOutlierTraces(store, since, nowMs, config, await agentStats.get(store, nowMs, config)),
  ])
  return results.flat()
}

/** Loops as the resolver tags them (packages/core/src/trace/tags.ts), from a minimum size on. */
async function findLoops(store: Store, since: number, now: number, config: TrajectoryConfig): Promise<TrajectoryFinding[]> {
  const rows = await store.query<{ project_id: string; trace_id: string; loops: string }>(sql`
    SELECT project_id, trace_id, loops FROM traces FINAL WHERE ${finishedTraces(since, now)} AND has(tags, 'loop')`)
  return rows.flatMap((r) =>
    (JSON.parse(r.loops) as LoopFinding[])
      .filter((loop) => loop.calls >= config.loopMinRepeats)
      .map((loop): TrajectoryFinding => ({
        projectId: r.project_id,
        kind: 'tool_loop',
        dimension: 'trace',
        value: loop.tool,
        metric: 'repeated_calls',
        key: `loop:${r.trace_id}:${loop.tool}:${loop.argsKey}`,
        agent: loop.agent,
        observed: loop.calls,
        expected: 1,
        score: loop.calls,
        traceIds: [r.trace_id],
        summary: `Tool ${loop.tool} called ${loop.calls} times with the same arguments in one trace${loop.agent ? ` (agent ${loop.agent})` : ''}${loop.failedCalls > 0 ? `, ${loop.failedCalls} of them failed` : ''}`,
      })),
  )
}

async function findToolErrorBursts(store: Store, since: number, now: number, config: TrajectoryConfig): Promise<TrajectoryFinding[]> {
  const perTrace = await store.query<{ project_id: string; trace_id: string; agent: string; n: string; tools: string[] }>(sql`
    SELECT project_id, trace_id, root_agent AS agent, tool_errors AS n, tools FROM traces FINAL
    WHERE ${finishedTraces(since, now)} AND tool_errors >= ${u64(config.traceToolErrors)}`)
  return perTrace.map((r): TrajectoryFinding => ({
    projectId: r.project_id,
    kind: 'tool_error_burst',
    dimension: 'trace',
    value: r.tools.join(','),
    metric: 'tool_errors',
    key: `trace-errors:${r.trace_id}`,
    agent: r.agent,
    observed: num(r.n),
    expected: 0,
    score: num(r.n),
    traceIds: [r.trace_id],
    summary: `${r.n} failed tool calls in one trace (${r.tools.join(', ')})`,
  }))
}

/**
 * Agents that never returned: traces still `running` (their root never arrived or never ended) whose
 * last span ended `unfinishedAfterMs` ago, or judged without a root once settled (`partial`); and failed
 * traces whose failure is a time-out.
 */
async function findUnfinished(store: Store, since: number, now: number, config: TrajectoryConfig): Promise<TrajectoryFinding[]> {
  const rows = await store.query<{ project_id: string; trace_id: string; agent: string; outcome: string; failure_reason: string; last_ms: string }>(sql`
    SELECT project_id, trace_id, root_agent AS agent, outcome, failure_reason, toUnixTimestamp64Milli(end_time) AS last_ms
    FROM traces FINAL
    WHERE ${recentTraces(since, now)} AND (
      ((outcome = 'running' OR has(tags, 'partial')) AND end_time < ${ms(now - config.unfinishedAfterMs)})
      OR (outcome = 'failed' AND positionCaseInsensitive(failure_reason, 'timeout') > 0))`)
  return rows.map((r): TrajectoryFinding => {
    const minutes = Math.round((now - num(r.last_ms)) / 60_000)
    const timedOut = r.outcome === 'failed'
    return {
      projectId: r.project_id,
      kind: 'unfinished_agent',
      dimension: 'trace',
      value: r.agent,
      metric: 'minutes_unfinished',
      key: `${timedOut ? 'timeout' : 'unfinished'}:${r.trace_id}`,
      agent: r.agent,
      observed: timedOut ? 0 : minutes,
      expected: 0,
      score: timedOut ? 0 : minutes,
      traceIds: [r.trace_id],
      summary: timedOut
        ? `Agent ${r.agent || '(unknown)'} timed out: ${r.failure_reason.slice(0, 120)}`
        : `Agent ${r.agent || '(unknown)'} never returned: no root span ${minutes} min after the trace's last span`,
    }
  })
}

interface TraceTotals {
  project_id: string
  trace_id: string
  agent: string
  spans: string
  cost: number
  tokens: string
}

/** Per trace: its root agent, span count, cost and tokens, as resolved. */
const traceTotals = (from: number, to: number) => sql`
  SELECT project_id, trace_id, root_agent AS agent, span_count AS spans, toFloat64(ifNull(cost_usd, 0)) AS cost,
    input_tokens + output_tokens AS tokens
  FROM traces FINAL WHERE ${finishedTraces(from, to)}`

interface AgentStat {
  traces: number
  p99: [number, number, number]
  median: [number, number, number]
  mad: [number, number, number]
}

/** Agent baselines over the history window, refreshed at most once per TTL (they move slowly). */
export class AgentStatsCache {
  private cached: { atMs: number; stats: Map<string, AgentStat> } | undefined

  async get(store: Store, nowMs: number, config: TrajectoryConfig): Promise<Map<string, AgentStat>> {
    if (this.cached && Math.abs(nowMs - this.cached.atMs) < config.agentStatsTtlMs) return this.cached.stats
    const history = traceTotals(nowMs - config.historyMs, nowMs - config.lookbackMs)
    // The MAD needs the median first: a second pass joined on (project, agent).
    const rows = await store.query<{ project_id: string; agent: string; n: string; p99: number[]; med: number[]; mad: number[] }>(sql`
      SELECT project_id, agent, count() AS n, any(m.med) AS med,
        [quantileExact(0.99)(toFloat64(t.spans)), quantileExact(0.99)(t.cost), quantileExact(0.99)(toFloat64(t.tokens))] AS p99,
        [quantileExactInclusive(0.5)(abs(toFloat64(t.spans) - m.med[1])), quantileExactInclusive(0.5)(abs(t.cost - m.med[2])),
         quantileExactInclusive(0.5)(abs(toFloat64(t.tokens) - m.med[3]))] AS mad
      FROM (${history}) AS t
      INNER JOIN (
        SELECT project_id, agent,
          [quantileExactInclusive(0.5)(toFloat64(spans)), quantileExactInclusive(0.5)(cost), quantileExactInclusive(0.5)(toFloat64(tokens))] AS med
        FROM (${history}) WHERE agent != '' GROUP BY project_id, agent
      ) AS m USING (project_id, agent)
      GROUP BY project_id, agent`)
    const stats = new Map<string, AgentStat>()
    for (const r of rows) {
      stats.set(`${r.project_id}\u0000${r.agent}`, { traces: num(r.n), p99: triple(r.p99), median: triple(r.med), mad: triple(r.mad) })
    }
    this.cached = { atMs: nowMs, stats }
    return stats
  }
}

const triple = (values: number[]): [number, number, number] => [num(values[0] ?? 0), num(values[1] ?? 0), num(values[2] ?? 0)]

async function findOutlierTraces(store: Store, since: number, now: number, config: TrajectoryConfig, stats: Map<string, AgentStat>): Promise<TrajectoryFinding[]> {
  if (stats.size === 0) return []
  const rows = await store.query<TraceTotals>(sql`SELECT * FROM (${traceTotals(since, now)}) WHERE agent != ''`)
  const findings: TrajectoryFinding[] = []
  const checks = [
    { index: 0, kind: 'step_explosion', metric: 'spans_per_trace', label: 'spans', read: (r: TraceTotals) => num(r.spans), min: config.minTraceSpans },
    { index: 1, kind: 'trace_cost', metric: 'trace_cost', label: 'cost (USD)', read: (r: TraceTotals) => num(r.cost), min: config.minTraceCostUsd },
    { index: 2, kind: 'trace_cost', metric: 'trace_tokens', label: 'tokens', read: (r: TraceTotals) => num(r.tokens), min: config.minTraceTokens },
  ] as const
  for (const row of rows) {
    const stat = stats.get(`${row.project_id}\u0000${row.agent}`)
    if (!stat || stat.traces < config.minAgentTraces) continue
    for (const check of checks) {
      const observed = check.read(row)
      const med = stat.median[check.index]
      const scale = Math.max(MAD_TO_SIGMA * stat.mad[check.index], 0.1 * med, 1e-9)
      const z = (observed - med) / scale
      if (!(observed > stat.p99[check.index] && z > config.zOpen && observed >= config.minRatio * med && observed >= check.min)) continue
      findings.push({
        projectId: row.project_id,
        kind: check.kind,
        dimension: 'trace',
        value: row.agent,
        metric: check.metric,
        key: `${check.metric}:${row.trace_id}`,
        agent: row.agent,
        observed,
        expected: med,
        score: Math.round(z * 100) / 100,
        traceIds: [row.trace_id],
        summary: `Trace of agent ${row.agent} has ${round(observed)} ${check.label}; the agent's median is ${round(med)} and p99 ${round(stat.p99[check.index])}`,
      })
    }
  }
  return findings
}

const round = (value: number) => (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10_000) / 10_000)
