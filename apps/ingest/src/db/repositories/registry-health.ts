/**
 * Health and usage of agents, tools and edges over a range, read from the rollups (`agg_5m`), which
 * are fed by resolved traces: calls, failures (the trace outcome definition), latency histograms,
 * cost. The same numbers the dashboards sum; contract in migrations 0020 and 0024.
 */
import type { Histogram } from '@sightline/core'
import type { Store } from '../client.js'
import { dt64, sql, str, strArray, u64 } from '../sql.js'
import { chToIso } from './registry.js'

type Num = number | string

export interface DimensionTotals {
  dimType: string
  dimValue: string
  units: number
  failures: number
  recovered: number
  toolCalls: number
  toolErrors: number
  delegations: number
  llmCalls: number
  costUsd: number
  latency: Histogram
  /** ISO of the first and last bucket with units or calls; null when none in the range. */
  firstSeen: string | null
  lastSeen: string | null
}

export interface RegistryRange {
  projectId: string
  /** DateTime64 text (UTC), [from, to). */
  from: string
  to: string
}

export class RegistryHealthRepository {
  constructor(private readonly store: Store) {}

  /**
   * Totals per (dimension type, value) in the range; values with nothing in the range are left out.
   * `withActivity` adds the first and last active bucket (a second aggregation level: the fleet map,
   * which does not show them, skips it).
   */
  async totals(range: RegistryRange, dimTypes: readonly string[], withActivity = true): Promise<DimensionTotals[]> {
    const where = sql`project_id = ${str(range.projectId)} AND dim_type IN ${strArray([...dimTypes])}
          AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)}`
    const rows = withActivity
      ? await this.store.query<TotalsRow>(sql`
      SELECT dim_type, dim_value, sum(u) AS units, sum(f) AS failures, sum(r) AS recovered, sum(tc) AS tool_calls,
        sum(te) AS tool_errors, sum(d) AS delegations, sum(l) AS llm_calls, toFloat64(sum(c)) AS cost,
        sumMap(hist) AS latency, toString(minIf(bucket, active)) AS first, toString(maxIf(bucket, active)) AS last,
        countIf(active) AS active_buckets
      FROM (
        SELECT dim_type, dim_value, bucket, sum(units) AS u, sum(unit_failures) AS f, sum(unit_recovered) AS r,
          sum(tool_calls) AS tc, sum(tool_errors) AS te, sum(delegations) AS d, sum(llm_calls) AS l, sum(cost_usd) AS c,
          sumMap(latency) AS hist, (u != 0 OR tc != 0 OR d != 0 OR l != 0) AS active
        FROM agg_5m WHERE ${where}
        GROUP BY dim_type, dim_value, bucket
      )
      GROUP BY dim_type, dim_value
      HAVING active_buckets > 0`)
      : await this.store.query<TotalsRow>(sql`
      SELECT dim_type, dim_value, sum(units) AS units, sum(unit_failures) AS failures, sum(unit_recovered) AS recovered,
        sum(tool_calls) AS tool_calls, sum(tool_errors) AS tool_errors, sum(delegations) AS delegations,
          sum(llm_calls) AS llm_calls,
        toFloat64(sum(cost_usd)) AS cost, sumMap(latency) AS latency, '' AS first, '' AS last
      FROM agg_5m WHERE ${where}
      GROUP BY dim_type, dim_value
      HAVING units != 0 OR tool_calls != 0 OR delegations != 0 OR llm_calls != 0`)
    return rows.map((r) => ({
      dimType: r.dim_type,
      dimValue: r.dim_value,
      units: Number(r.units),
      failures: Number(r.failures),
      recovered: Number(r.recovered),
      toolCalls: Number(r.tool_calls),
      toolErrors: Number(r.tool_errors),
      delegations: Number(r.delegations),
      llmCalls: Number(r.llm_calls),
      costUsd: Number(r.cost),
      latency: { buckets: (r.latency[0] ?? []).map(Number), counts: (r.latency[1] ?? []).map(Number) },
      firstSeen: r.first ? chToIso(r.first) : null,
      lastSeen: r.last ? chToIso(r.last) : null,
    }))
  }

  /** Units per step (index from the start of the range) for each value: the sparklines. */
  async steps(
    range: RegistryRange,
    dimTypes: readonly string[],
    stepSeconds: number,
  ): Promise<Array<{ dimType: string; dimValue: string; index: number; units: number }>> {
    const rows = await this.store.query<{ dim_type: string; dim_value: string; idx: Num; units: Num }>(sql`
      SELECT dim_type, dim_value, intDiv(toUnixTimestamp(bucket) - toUnixTimestamp(${dt64(range.from)}),
        ${u64(stepSeconds)}) AS idx,
        sum(units) AS units
      FROM agg_5m
      WHERE project_id = ${str(range.projectId)} AND dim_type IN ${strArray([...dimTypes])}
        AND bucket >= ${dt64(range.from)} AND bucket < ${dt64(range.to)}
      GROUP BY dim_type, dim_value, idx
      HAVING units != 0`)
    return rows.map((r) => ({
      dimType: r.dim_type,
      dimValue: r.dim_value,
      index: Number(r.idx),
      units: Number(r.units),
    }))
  }

  /**
   * First 5-minute bucket (all time) in which each value of a dimension had activity: when an agent, or an agent→tool
   * pair, first appeared.
   */
  async firstActive(projectId: string, dimType: 'agent' | 'agent_tool'): Promise<Map<string, string>> {
    const rows = await this.store.query<{ dim_value: string; first: string }>(sql`
      SELECT dim_value, toString(min(bucket)) AS first FROM (
        SELECT dim_value, bucket FROM agg_5m
        WHERE project_id = ${str(projectId)} AND dim_type = ${str(dimType)}
        GROUP BY dim_value, bucket
        HAVING sum(units) != 0 OR sum(tool_calls) != 0
      ) GROUP BY dim_value`)
    return new Map(rows.map((r) => [r.dim_value, chToIso(r.first)]))
  }

  /** Traces (resolved, production) of the range that contributed to one edge value. */
  async edgeTraces(
    range: RegistryRange,
    dimType: 'agent_tool' | 'agent_agent',
    dimValue: string,
    limit: number,
  ): Promise<EdgeTraceRow[]> {
    const rows = await this.store.query<{
      trace_id: string
      name: string
      start_text: string
      duration_ms: Num
      outcome: string
      cost_usd: Num | null
    }>(sql`
      SELECT trace_id, name, toString(start_time) AS start_text, duration_ms, outcome, cost_usd
      FROM traces FINAL
      WHERE project_id = ${str(range.projectId)} AND start_time >= ${dt64(range.from)}
        AND start_time < ${dt64(range.to)}
        AND sign = 1 AND arrayExists((t, v) -> t = ${str(dimType)} AND v = ${str(dimValue)}, contributions.dim_type,
          contributions.dim_value)
      ORDER BY start_time DESC, trace_id LIMIT ${u64(limit)}`)
    return rows.map((r) => ({
      traceId: r.trace_id,
      name: r.name,
      startTime: chToIso(r.start_text),
      durationMs: Number(r.duration_ms),
      outcome: r.outcome,
      costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
    }))
  }
}

export interface EdgeTraceRow {
  traceId: string
  name: string
  startTime: string
  durationMs: number
  outcome: string
  costUsd: number | null
}

interface TotalsRow {
  dim_type: string
  dim_value: string
  units: Num
  failures: Num
  recovered: Num
  tool_calls: Num
  tool_errors: Num
  delegations: Num
  llm_calls: Num
  cost: number
  latency: [Num[], Num[]]
  first: string
  last: string
}
