import type { AnomalyKind, AnomalyMetric } from '@sightline/schema'
import type { LoopFinding } from '@sightline/core'
import type { Store } from '../db/client.js'
import {
  agentTotalsStats,
  agentTraceTotals,
  loopTraces,
  toolErrorTraces,
  unfinishedTraces,
  type TraceTotals,
} from '../db/repositories/trajectory-reads.js'
import { MAD_TO_SIGMA } from './robust.js'

/**
 * Trajectory anomalies: single traces that behave unlike their agent, read from the resolved traces
 * of a bounded recent window (never raw spans: the resolver already counted each call once).
 */
export interface TrajectoryConfig {
  /** Spans started in (now − lookback, now] are examined. */
  lookbackMs: number
  /** Same tool + same arguments at least this many times in one trace is a loop. */
  loopMinRepeats: number
  /**
   * Failed tool calls in one trace that make a burst (a tool failing across traces is the series tiers' error rate).
   */
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

export async function findTrajectoryAnomalies(
  store: Store,
  nowMs: number,
  config: TrajectoryConfig,
  agentStats: AgentStatsCache,
): Promise<TrajectoryFinding[]> {
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
function loopSummary(loop: LoopFinding): string {
  const agent = loop.agent ? ` (agent ${loop.agent})` : ''
  const failed = loop.failedCalls > 0 ? `, ${loop.failedCalls} of them failed` : ''
  return `Tool ${loop.tool} called ${loop.calls} times with the same arguments in one trace${agent}${failed}`
}

async function findLoops(
  store: Store,
  since: number,
  now: number,
  config: TrajectoryConfig,
): Promise<TrajectoryFinding[]> {
  const rows = await loopTraces(store, since, now)
  return rows.flatMap((r) =>
    (JSON.parse(r.loopsJson) as LoopFinding[])
      .filter((loop) => loop.calls >= config.loopMinRepeats)
      .map(
        (loop): TrajectoryFinding => ({
          projectId: r.projectId,
          kind: 'tool_loop',
          dimension: 'trace',
          value: loop.tool,
          metric: 'repeated_calls',
          key: `loop:${r.traceId}:${loop.tool}:${loop.argsKey}`,
          agent: loop.agent,
          observed: loop.calls,
          expected: 1,
          score: loop.calls,
          traceIds: [r.traceId],
          summary: loopSummary(loop),
        }),
      ),
  )
}

async function findToolErrorBursts(
  store: Store,
  since: number,
  now: number,
  config: TrajectoryConfig,
): Promise<TrajectoryFinding[]> {
  const perTrace = await toolErrorTraces(store, since, now, config.traceToolErrors)
  return perTrace.map(
    (r): TrajectoryFinding => ({
      projectId: r.projectId,
      kind: 'tool_error_burst',
      dimension: 'trace',
      value: r.tools.join(','),
      metric: 'tool_errors',
      key: `trace-errors:${r.traceId}`,
      agent: r.agent,
      observed: r.toolErrors,
      expected: 0,
      score: r.toolErrors,
      traceIds: [r.traceId],
      summary: `${r.toolErrors} failed tool calls in one trace (${r.tools.join(', ')})`,
    }),
  )
}

/**
 * Agents that never returned: traces still `running` (their root never arrived or never ended) whose
 * last span ended `unfinishedAfterMs` ago, or judged without a root once settled (`partial`); and failed
 * traces whose failure is a time-out.
 */
async function findUnfinished(
  store: Store,
  since: number,
  now: number,
  config: TrajectoryConfig,
): Promise<TrajectoryFinding[]> {
  const rows = await unfinishedTraces(store, since, now, now - config.unfinishedAfterMs)
  return rows.map((r): TrajectoryFinding => {
    const minutes = Math.round((now - r.lastMs) / 60_000)
    const timedOut = r.outcome === 'failed'
    return {
      projectId: r.projectId,
      kind: 'unfinished_agent',
      dimension: 'trace',
      value: r.agent,
      metric: 'minutes_unfinished',
      key: `${timedOut ? 'timeout' : 'unfinished'}:${r.traceId}`,
      agent: r.agent,
      observed: timedOut ? 0 : minutes,
      expected: 0,
      score: timedOut ? 0 : minutes,
      traceIds: [r.traceId],
      summary: timedOut
        ? `Agent ${r.agent || '(unknown)'} timed out: ${r.failureReason.slice(0, 120)}`
        : `Agent ${r.agent || '(unknown)'} never returned: no root span ${minutes} min after the trace's last span`,
    }
  })
}

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
    const rows = await agentTotalsStats(store, nowMs - config.historyMs, nowMs - config.lookbackMs)
    const stats = new Map<string, AgentStat>()
    for (const r of rows) {
      stats.set(`${r.projectId}\u0000${r.agent}`, {
        traces: r.traces,
        p99: triple(r.p99),
        median: triple(r.median),
        mad: triple(r.mad),
      })
    }
    this.cached = { atMs: nowMs, stats }
    return stats
  }
}

const triple = (values: number[]): [number, number, number] => [values[0] ?? 0, values[1] ?? 0, values[2] ?? 0]

async function findOutlierTraces(
  store: Store,
  since: number,
  now: number,
  config: TrajectoryConfig,
  stats: Map<string, AgentStat>,
): Promise<TrajectoryFinding[]> {
  if (stats.size === 0) return []
  const rows = await agentTraceTotals(store, since, now)
  const findings: TrajectoryFinding[] = []
  const checks = [
    {
      index: 0,
      kind: 'step_explosion',
      metric: 'spans_per_trace',
      label: 'spans',
      read: (r: TraceTotals) => r.spans,
      min: config.minTraceSpans,
    },
    {
      index: 1,
      kind: 'trace_cost',
      metric: 'trace_cost',
      label: 'cost (USD)',
      read: (r: TraceTotals) => r.cost,
      min: config.minTraceCostUsd,
    },
    {
      index: 2,
      kind: 'trace_cost',
      metric: 'trace_tokens',
      label: 'tokens',
      read: (r: TraceTotals) => r.tokens,
      min: config.minTraceTokens,
    },
  ] as const
  for (const row of rows) {
    const stat = stats.get(`${row.projectId}\u0000${row.agent}`)
    if (!stat || stat.traces < config.minAgentTraces) continue
    for (const check of checks) {
      const observed = check.read(row)
      const med = stat.median[check.index]
      const scale = Math.max(MAD_TO_SIGMA * stat.mad[check.index], 0.1 * med, 1e-9)
      const z = (observed - med) / scale
      if (
        !(
          observed > stat.p99[check.index] &&
          z > config.zOpen &&
          observed >= config.minRatio * med &&
          observed >= check.min
        )
      )
        continue
      findings.push({
        projectId: row.projectId,
        kind: check.kind,
        dimension: 'trace',
        value: row.agent,
        metric: check.metric,
        key: `${check.metric}:${row.traceId}`,
        agent: row.agent,
        observed,
        expected: med,
        score: Math.round(z * 100) / 100,
        traceIds: [row.traceId],
        summary:
          `Trace of agent ${row.agent} has ${round(observed)} ${check.label}; ` +
          `the agent's median is ${round(med)} and p99 ${round(stat.p99[check.index])}`,
      })
    }
  }
  return findings
}

const round = (value: number) => (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10_000) / 10_000)
