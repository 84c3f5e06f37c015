import type { ListTracesQuery, SpanRowRead, TraceSummary } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, f64, join, sql, str, strArray, u64, type SqlFragment } from '../sql.js'
import { pricedSpans } from './priced-spans.js'

/**
 * A tool call, counted once: the server end of a traced MCP call (flag `mcp_server`, with a parent:
 * the client end) is the same call as its parent. A root server span had no traced client.
 */
export const COUNTED_TOOL_CALL = sql`kind = 'tool' AND NOT (has(flags, 'mcp_server') AND parent_span_id != '')`

/** Trace totals from its spans. Tokens come only from provider calls (the normaliser zeroes the rest). */
const SUMMARY_COLUMNS = sql`
  trace_id,
  if(countIf(parent_span_id = '') > 0, argMinIf(name, start_time, parent_span_id = ''), argMin(name, start_time)) AS trace_name,
  if(countIf(parent_span_id = '') > 0, argMinIf(span_id, start_time, parent_span_id = ''), argMin(span_id, start_time)) AS root_span_id,
  toString(min(start_time)) AS trace_start,
  toString(max(end_time)) AS trace_end,
  dateDiff('microsecond', min(start_time), max(end_time)) / 1000 AS trace_duration_ms,
  if(countIf(status = 'error') > 0, 'error', 'ok') AS trace_status,
  arraySort(groupUniqArrayIf(service_name, service_name != '')) AS service_names,
  arraySort(groupUniqArrayIf(service_version, service_version != '')) AS releases,
  arraySort(groupUniqArrayIf(environment, environment != '')) AS environments,
  arraySort(groupUniqArrayIf(agent_name, agent_name != '')) AS agents,
  arraySort(groupUniqArrayIf(model, model != '' AND is_llm_call)) AS models,
  anyIf(session_id, session_id != '') AS trace_session_id,
  anyIf(user_id, user_id != '') AS trace_user_id,
  count() AS span_count,
  countIf(is_llm_call) AS llm_call_count,
  countIf(${COUNTED_TOOL_CALL}) AS tool_call_count,
  countIf(status = 'error') AS error_count,
  countIf(${COUNTED_TOOL_CALL} AND status = 'error') AS tool_error_count,
  sum(input_tokens) AS sum_input_tokens,
  sum(output_tokens) AS sum_output_tokens,
  sum(cached_input_tokens) AS sum_cached_input_tokens,
  sum(cache_write_tokens) AS sum_cache_write_tokens,
  sum(reasoning_tokens) AS sum_reasoning_tokens,
  if(countIf(eff_cost IS NOT NULL) > 0, toFloat64(sumIf(assumeNotNull(eff_cost), eff_cost IS NOT NULL)), NULL) AS trace_cost_usd,
  countIf(is_llm_call AND eff_unpriced) AS unpriced_llm_calls`

interface TraceSummaryRow {
  trace_id: string
  trace_name: string
  root_span_id: string
  /** Aliases must not reuse column names: ClickHouse would substitute them inside the aggregates. */
  trace_start: string
  trace_end: string
  trace_duration_ms: number
  trace_status: 'ok' | 'error'
  service_names: string[]
  releases: string[]
  environments: string[]
  agents: string[]
  models: string[]
  trace_session_id: string
  trace_user_id: string
  span_count: string | number
  llm_call_count: string | number
  tool_call_count: string | number
  error_count: string | number
  tool_error_count: string | number
  sum_input_tokens: string | number
  sum_output_tokens: string | number
  sum_cached_input_tokens: string | number
  sum_cache_write_tokens: string | number
  sum_reasoning_tokens: string | number
  trace_cost_usd: number | null
  unpriced_llm_calls: string | number
}

const SORT_EXPRESSIONS: Record<ListTracesQuery['sort'], SqlFragment> = {
  startTime: sql`toUnixTimestamp64Nano(min(start_time))`,
  durationMs: sql`dateDiff('microsecond', min(start_time), max(end_time))`,
  costUsd: sql`toFloat64(ifNull(sumIf(assumeNotNull(eff_cost), eff_cost IS NOT NULL), 0))`,
  spanCount: sql`count()`,
  errorCount: sql`countIf(status = 'error')`,
  totalTokens: sql`sum(input_tokens) + sum(output_tokens)`,
}

export interface TraceListCursor {
  /** Sort value of the last row as decimal text; every sort expression is numeric. */
  value: string
  traceId: string
}

export interface TraceListParams extends Omit<ListTracesQuery, 'from' | 'to' | 'cursor'> {
  from: string
  to: string
  cursor: TraceListCursor | undefined
}

export class TraceRepository {
  constructor(
    private readonly store: Store,
    private readonly hasOverrides: (projectId: string) => Promise<boolean>,
  ) {}

  /**
   * Two steps: pick the page's trace ids from the few columns the filters and the sort need
   * (no FINAL, text search through the text indexes), then compute full totals, deduplicated, for
   * those ids only. One grouped pass over every column with FINAL took seconds at 1M spans.
   */
  async list(projectId: string, params: TraceListParams): Promise<{ traces: TraceSummary[]; last: TraceListCursor | undefined }> {
    const sortExpr = SORT_EXPRESSIONS[params.sort]
    const direction = params.order === 'asc' ? sql`ASC` : sql`DESC`
    const overrides = await this.hasOverrides(projectId)
    const candidates = await this.store.query<{ trace_id: string; sort_value: string }>(sql`
      SELECT trace_id, toString(${sortExpr}) AS sort_value
      FROM ${pricedSpans(projectId, sql`${spanConditions(params)} ${textSearch(projectId, params)}`, overrides, false)}
      GROUP BY trace_id
      ${havingConditions(params, sortExpr)}
      ORDER BY ${sortExpr} ${direction}, trace_id ${direction}
      LIMIT ${u64(params.limit + 1)}`)
    const page = candidates.slice(0, params.limit)
    if (page.length === 0) return { traces: [], last: undefined }
    const ids = page.map((row) => row.trace_id)
    const rows = await this.store.query<TraceSummaryRow>(sql`
      SELECT ${SUMMARY_COLUMNS}
      FROM ${pricedSpans(projectId, sql`${spanConditions(params)} AND trace_id IN ${strArray(ids)}`, overrides)}
      GROUP BY trace_id`)
    const byId = new Map(rows.map((row) => [row.trace_id, toSummary(row)]))
    const lastRow = page[page.length - 1]
    const last = candidates.length > params.limit && lastRow ? { value: lastRow.sort_value, traceId: lastRow.trace_id } : undefined
    return { traces: ids.flatMap((id) => byId.get(id) ?? []), last }
  }

  /** Time bounds of a trace from the trace-id lookup table, or undefined if the project has no such trace. */
  async bounds(projectId: string, traceId: string): Promise<{ from: string; to: string } | undefined> {
    const rows = await this.store.query<{ from: string; to: string; n: string }>(sql`
      SELECT toString(min(start_min)) AS from, toString(max(start_max)) AS to, count() AS n
      FROM trace_index WHERE project_id = ${str(projectId)} AND trace_id = ${str(traceId)}`)
    const row = rows[0]
    return row && Number(row.n) > 0 ? { from: row.from, to: row.to } : undefined
  }

  async get(
    projectId: string,
    traceId: string,
    view: 'full' | 'skeleton' = 'full',
  ): Promise<{ trace: TraceSummary; spans: SpanRowRead[] } | undefined> {
    const source = await this.traceSource(projectId, traceId)
    if (!source) return undefined
    const [summaries, spans] = await Promise.all([
      this.store.query<TraceSummaryRow>(sql`SELECT ${SUMMARY_COLUMNS} FROM ${source} GROUP BY trace_id`),
      this.store.query<SpanRowRead>(sql`SELECT ${view === 'full' ? FULL_SPAN_COLUMNS : SKELETON_SPAN_COLUMNS} FROM ${source} ORDER BY start_time, span_id`),
    ])
    const summary = summaries[0]
    return summary ? { trace: toSummary(summary), spans } : undefined
  }

  async getSpan(projectId: string, traceId: string, spanId: string): Promise<SpanRowRead | undefined> {
    const source = await this.traceSource(projectId, traceId, sql`AND span_id = ${str(spanId)}`)
    if (!source) return undefined
    const rows = await this.store.query<SpanRowRead>(sql`SELECT ${FULL_SPAN_COLUMNS} FROM ${source} LIMIT 1`)
    return rows[0]
  }

  /** Distinct values seen in a time range, for filter pickers (bounded per dimension). */
  async facets(projectId: string, from: string, to: string): Promise<Record<'services' | 'releases' | 'environments' | 'agents' | 'models' | 'tools', string[]>> {
    const rows = await this.store.query<Record<string, string[]>>(sql`
      SELECT
        arraySort(groupUniqArrayIf(200)(service_name, service_name != '')) AS services,
        arraySort(groupUniqArrayIf(200)(service_version, service_version != '')) AS releases,
        arraySort(groupUniqArrayIf(200)(environment, environment != '')) AS environments,
        arraySort(groupUniqArrayIf(200)(agent_name, agent_name != '')) AS agents,
        arraySort(groupUniqArrayIf(200)(model, model != '' AND is_llm_call)) AS models,
        arraySort(groupUniqArrayIf(200)(tool_name, tool_name != '')) AS tools
      FROM spans
      WHERE project_id = ${str(projectId)} AND start_time >= ${dt64(from)} AND start_time <= ${dt64(to)}`)
    const row = rows[0] ?? {}
    return {
      services: row.services ?? [],
      releases: row.releases ?? [],
      environments: row.environments ?? [],
      agents: row.agents ?? [],
      models: row.models ?? [],
      tools: row.tools ?? [],
    }
  }

  /** The trace's spans, pruned to its hours through the trace-id lookup table. */
  private async traceSource(projectId: string, traceId: string, extra: SqlFragment = sql``): Promise<SqlFragment | undefined> {
    const bounds = await this.bounds(projectId, traceId)
    if (!bounds) return undefined
    const conditions = sql`trace_id = ${str(traceId)} ${extra}
      AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}`
    return pricedSpans(projectId, conditions, await this.hasOverrides(projectId))
  }
}

const FULL_SPAN_COLUMNS = sql`* EXCEPT (cost_usd, is_unpriced, eff_cost, eff_unpriced, ingested_at),
  eff_cost AS cost_usd, eff_unpriced AS is_unpriced`

/** Everything but message text, payloads and attribute maps: what a timeline of 100k spans needs. */
const SKELETON_SPAN_COLUMNS = sql`* EXCEPT (cost_usd, is_unpriced, eff_cost, eff_unpriced, ingested_at,
    input, output, tool_arguments, tool_result, attributes, resource_attributes, events, links),
  eff_cost AS cost_usd, eff_unpriced AS is_unpriced,
  '' AS input, '' AS output, '' AS tool_arguments, '' AS tool_result,
  map() AS attributes, map() AS resource_attributes, '[]' AS events, '[]' AS links`

function spanConditions(params: TraceListParams): SqlFragment {
  return sql`start_time >= ${dt64(params.from)} AND start_time <= ${dt64(params.to)}`
}

/** Traces with a span whose text matches `q` (a subquery, so that the text indexes can prune). */
function textSearch(projectId: string, params: TraceListParams): SqlFragment {
  if (!params.q) return sql``
  const pattern = str(`%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  return sql`AND trace_id IN (
    SELECT trace_id FROM spans
    WHERE project_id = ${str(projectId)} AND ${spanConditions(params)}
      AND (name ILIKE ${pattern} OR input ILIKE ${pattern} OR output ILIKE ${pattern}
        OR tool_arguments ILIKE ${pattern} OR tool_result ILIKE ${pattern} OR status_message ILIKE ${pattern}))`
}

/** Trace-level filters: a trace matches when any of its spans does (or its totals do). */
function havingConditions(params: TraceListParams, sortExpr: SqlFragment): SqlFragment {
  const having: SqlFragment[] = []
  const anyOf = (column: SqlFragment, values: string[] | undefined) => {
    if (values?.length) having.push(sql`countIf(${column} IN ${strArray(values)}) > 0`)
  }
  anyOf(sql`service_name`, params.service)
  anyOf(sql`service_version`, params.release)
  anyOf(sql`environment`, params.environment)
  anyOf(sql`agent_name`, params.agent)
  anyOf(sql`model`, params.model)
  anyOf(sql`tool_name`, params.tool)
  if (params.status === 'error') having.push(sql`countIf(status = 'error') > 0`)
  if (params.status === 'ok') having.push(sql`countIf(status = 'error') = 0`)
  if (params.sessionId) having.push(sql`countIf(session_id = ${str(params.sessionId)}) > 0`)
  if (params.userId) having.push(sql`countIf(user_id = ${str(params.userId)}) > 0`)
  if (params.minCostUsd !== undefined) having.push(sql`toFloat64(ifNull(sumIf(assumeNotNull(eff_cost), eff_cost IS NOT NULL), 0)) >= ${f64(params.minCostUsd)}`)
  if (params.minDurationMs !== undefined) having.push(sql`dateDiff('microsecond', min(start_time), max(end_time)) >= ${f64(params.minDurationMs * 1000)}`)
  if (params.cursor) {
    const op = params.order === 'asc' ? sql`>` : sql`<`
    having.push(sql`(toDecimal128(${sortExpr}, 10), trace_id) ${op} (toDecimal128(${str(params.cursor.value)}, 10), ${str(params.cursor.traceId)})`)
  }
  return having.length === 0 ? sql`` : sql`HAVING ${join(having, ' AND ')}`
}

function toSummary(row: TraceSummaryRow): TraceSummary {
  return {
    traceId: row.trace_id,
    rootSpanId: row.root_span_id,
    name: row.trace_name,
    startTime: `${row.trace_start.replace(' ', 'T')}Z`,
    endTime: `${row.trace_end.replace(' ', 'T')}Z`,
    durationMs: Number(row.trace_duration_ms),
    status: row.trace_status,
    serviceNames: row.service_names,
    releases: row.releases,
    environments: row.environments,
    agents: row.agents,
    models: row.models,
    sessionId: row.trace_session_id,
    userId: row.trace_user_id,
    spanCount: Number(row.span_count),
    llmCallCount: Number(row.llm_call_count),
    toolCallCount: Number(row.tool_call_count),
    errorCount: Number(row.error_count),
    toolErrorCount: Number(row.tool_error_count),
    inputTokens: Number(row.sum_input_tokens),
    outputTokens: Number(row.sum_output_tokens),
    cachedInputTokens: Number(row.sum_cached_input_tokens),
    cacheWriteTokens: Number(row.sum_cache_write_tokens),
    reasoningTokens: Number(row.sum_reasoning_tokens),
    costUsd: row.trace_cost_usd === null ? null : Number(row.trace_cost_usd),
    unpricedLlmCalls: Number(row.unpriced_llm_calls),
  }
}
