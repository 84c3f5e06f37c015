/**
 * The trace list and its facets, read from resolved data: one `traces` row per trace (the resolver's
 * answer, see src/resolve) and the rollups' dimension values. Nothing here aggregates spans, so the
 * list's counts, outcomes and costs are the same numbers the dashboards sum.
 */
import type { FacetsResponse, ListTracesQuery, ScoreFilter, TraceSummary } from '@sightline/schema'
import { chTimeToIso } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, f64, sql, str, strArray, type SqlFragment } from '../sql.js'
import { readPage, type PageQuery } from './trace-page.js'

export interface TraceListCursor {
  /** Sort value of the last row as decimal text; every sort expression is numeric. */
  value: string
  traceId: string
}

export interface TraceListParams extends Omit<ListTracesQuery, 'from' | 'to' | 'cursor'> {
  /** DateTime64 text (UTC). */
  from: string
  to: string
  cursor: TraceListCursor | undefined
}

const SORT_EXPRESSIONS: Record<ListTracesQuery['sort'], SqlFragment> = {
  startTime: sql`toUnixTimestamp64Nano(start_time)`,
  durationMs: sql`duration_ms`,
  // The Decimal, not a Float64: the by_cost projection's key (migration 0029), read in either direction.
  costUsd: sql`ifNull(cost_usd, 0)`,
  spanCount: sql`span_count`,
  errorCount: sql`error_spans`,
  totalTokens: sql`input_tokens + output_tokens`,
}

const SUMMARY_COLUMNS = sql`trace_id, root_span_id, name, toString(start_time) AS start_text,
  toString(end_time) AS end_text, duration_ms, outcome, failure_reason, failure_span_id, first_error_span_id,
  first_error, tags, input_preview, output_preview, root_agent, services, releases, environments, agents, models,
  tools, session_id, user_id, span_count, llm_calls, tool_calls, error_spans, tool_errors, delegations, input_tokens,
  output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_calls, is_regression_run`

type Num = number | string
/** The summary columns as the store returns them. */
interface SummaryFields {
  trace_id: string
  root_span_id: string
  name: string
  start_text: string
  end_text: string
  duration_ms: number
  outcome: TraceSummary['outcome']
  failure_reason: string
  failure_span_id: string
  first_error_span_id: string
  first_error: string
  tags: TraceSummary['tags']
  input_preview: string
  output_preview: string
  root_agent: string
  services: string[]
  releases: string[]
  environments: string[]
  agents: string[]
  models: string[]
  tools: string[]
  session_id: string
  user_id: string
  span_count: Num
  llm_calls: Num
  tool_calls: Num
  error_spans: Num
  tool_errors: Num
  delegations: Num
  input_tokens: Num
  output_tokens: Num
  cached_input_tokens: Num
  cache_write_tokens: Num
  reasoning_tokens: Num
  cost_usd: Num | null
  unpriced_calls: Num
  is_regression_run: boolean | number
}
/** A row of the list's page: a trace state and its sort value. */
interface SummaryRow extends SummaryFields {
  sort_value: string
  version_text: string
}

export class TraceListRepository {
  constructor(private readonly store: Store) {}

  async list(
    projectId: string,
    params: TraceListParams,
  ): Promise<{ traces: TraceSummary[]; last: TraceListCursor | undefined }> {
    const rows = await readPage<SummaryRow>(this.store, listPageQuery(projectId, params))
    const page = rows.slice(0, params.limit)
    const lastRow = page[page.length - 1]
    const last =
      rows.length > params.limit && lastRow ? { value: lastRow.sort_value, traceId: lastRow.trace_id } : undefined
    return { traces: page.map(toSummary), last }
  }

  /**
   * One trace's stored summary (the row the list shows), its current state, or undefined before the
   * resolver has written one. `bounds`: the trace's first and last span start (TraceRepository.bounds).
   */
  async summary(
    projectId: string,
    traceId: string,
    bounds: { from: string; to: string },
  ): Promise<TraceSummary | undefined> {
    // FINAL over one trace's key range (a granule or two) is the current state, as the list's
    // `readPage` works out over thousands of traces without it.
    const rows = await this.store.query<SummaryFields>(sql`
      SELECT ${SUMMARY_COLUMNS} FROM traces FINAL
      WHERE project_id = ${str(projectId)} AND trace_id = ${str(traceId)}
        AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}`)
    return rows[0] && toSummary(rows[0])
  }

  /** Distinct values of a range, from the rollups (a small table), for filter pickers. */
  async facets(projectId: string, from: string, to: string): Promise<FacetsResponse> {
    const rows = await this.store.query<{ dim_type: string; values: string[] }>(sql`
      SELECT dim_type, arraySort(groupUniqArray(200)(dim_value)) AS values
      FROM agg_5m
      WHERE project_id = ${str(projectId)} AND bucket >= toStartOfFiveMinutes(${dt64(from)}) AND bucket <= ${dt64(to)}
        AND dim_value != '' AND dim_type IN ('service', 'release', 'environment', 'agent', 'model', 'tool')
      GROUP BY dim_type`)
    const of = (dim: string) => rows.find((r) => r.dim_type === dim)?.values ?? []
    return {
      services: of('service'),
      releases: of('release'),
      environments: of('environment'),
      agents: of('agent'),
      models: of('model'),
      tools: of('tool'),
    }
  }
}

/** The list's question as trace-page.ts asks it (exported for the tests of its plan). */
export function listPageQuery(projectId: string, params: TraceListParams): PageQuery {
  const sortExpr = SORT_EXPRESSIONS[params.sort]
  const descending = params.order !== 'asc'
  // Text search too: a word users look for is found in the newest hour's spans long before the
  // range's; a word no span holds is answered by the text indexes without reading the text (0027).
  const newestFirst = params.sort === 'startTime' && descending
  return {
    projectId,
    from: params.from,
    to: params.to,
    conditions: (from) => conditions(projectId, params, sortExpr, from),
    cancelConditions: (from) => conditions(projectId, { ...params, q: undefined, score: undefined }, sortExpr, from),
    sortExpr,
    descending,
    windowAnchor: !newestFirst
      ? undefined
      : params.cursor
        ? sql`fromUnixTimestamp64Nano(toInt64(${str(params.cursor.value)}), 'UTC')`
        : sql`${dt64(params.to)}`,
    columns: SUMMARY_COLUMNS,
    limit: params.limit,
  }
}

/** The list's filters over rows starting at or after `from` (the range's start, or a newer window's). */
function conditions(
  projectId: string,
  params: TraceListParams,
  sortExpr: SqlFragment,
  from: SqlFragment,
): SqlFragment[] {
  const where: SqlFragment[] = [
    sql`project_id = ${str(projectId)}`,
    sql`start_time >= ${from} AND start_time <= ${dt64(params.to)}`,
  ]
  const anyOf = (column: SqlFragment, values: string[] | undefined) => {
    if (values?.length) where.push(sql`hasAny(${column}, ${strArray(values)})`)
  }
  anyOf(sql`services`, params.service)
  anyOf(sql`releases`, params.release)
  anyOf(sql`environments`, params.environment)
  anyOf(sql`agents`, params.agent)
  anyOf(sql`models`, params.model)
  anyOf(sql`tools`, params.tool)
  anyOf(sql`tags`, params.tag)
  if (params.status?.length) where.push(sql`outcome IN ${strArray(params.status)}`)
  const regression = params.regression ?? 'false'
  if (regression !== 'all') where.push(regression === 'true' ? sql`is_regression_run` : sql`NOT is_regression_run`)
  if (params.sessionId) where.push(sql`session_id = ${str(params.sessionId)}`)
  if (params.userId) where.push(sql`user_id = ${str(params.userId)}`)
  if (params.minCostUsd !== undefined) where.push(sql`toFloat64(ifNull(cost_usd, 0)) >= ${f64(params.minCostUsd)}`)
  if (params.minDurationMs !== undefined) where.push(sql`duration_ms >= ${f64(params.minDurationMs)}`)
  if (params.q) where.push(textSearch(projectId, params, from))
  if (params.score) where.push(scoreMatch(projectId, params.score))
  if (params.cursor) {
    const op = params.order === 'asc' ? sql`>` : sql`<`
    where.push(
      sql`(toDecimal128(${sortExpr}, 10), trace_id)
        ${op} (toDecimal128(${str(params.cursor.value)}, 10), ${str(params.cursor.traceId)})`,
    )
  }
  return where
}

const SCORE_OPS = { '=': sql`=`, '!=': sql`!=`, '>': sql`>`, '>=': sql`>=`, '<': sql`<`, '<=': sql`<=` } as const

/** Traces with a current (not deleted, not failed) score of the filter's name and value (scores.ts owns the table). */
function scoreMatch(projectId: string, f: ScoreFilter): SqlFragment {
  const value =
    f.op === 'has'
      ? sql`1`
      : 'number' in f && f.number !== undefined
        ? sql`data_type != 'categorical' AND value ${SCORE_OPS[f.op]} ${f64(f.number)}`
        : sql`string_value ${SCORE_OPS[f.op]} ${str('label' in f ? (f.label ?? '') : '')}`
  return sql`trace_id IN (SELECT trace_id FROM scores FINAL
    WHERE project_id = ${str(projectId)} AND name = ${str(f.name)} AND is_deleted = 0 AND error = ''
      AND trace_id != '' AND ${value})`
}

/**
 * Traces whose name or previews match `q`, or with a span whose text does: a case-insensitive
 * substring. The span subquery is bounded by the window's time range (the spans' ordering key), and
 * every column matched has a text index (0001, 0027) that answers `ILIKE '%word%'` from its token
 * dictionary and skips parts without the word; the engine checks any other pattern on the column.
 */
function textSearch(projectId: string, params: TraceListParams, from: SqlFragment): SqlFragment {
  const pattern = str(`%${(params.q ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  return sql`(name ILIKE ${pattern} OR input_preview ILIKE ${pattern} OR output_preview ILIKE ${pattern}
    OR failure_reason ILIKE ${pattern}
    OR trace_id IN (
      SELECT trace_id FROM spans
      WHERE project_id = ${str(projectId)} AND start_time >= ${from} AND start_time <= ${dt64(params.to)}
        AND (name ILIKE ${pattern} OR input ILIKE ${pattern} OR output ILIKE ${pattern}
          OR tool_arguments ILIKE ${pattern} OR tool_result ILIKE ${pattern} OR status_message ILIKE ${pattern})))`
}

const n = (value: Num | null) => Number(value ?? 0)

function toSummary(row: SummaryFields): TraceSummary {
  return {
    traceId: row.trace_id,
    rootSpanId: row.root_span_id,
    name: row.name,
    startTime: chTimeToIso(row.start_text),
    endTime: chTimeToIso(row.end_text),
    durationMs: Number(row.duration_ms),
    outcome: row.outcome,
    failureReason: row.failure_reason,
    failureSpanId: row.failure_span_id,
    firstError: row.first_error_span_id ? { spanId: row.first_error_span_id, message: row.first_error } : null,
    tags: row.tags,
    inputPreview: row.input_preview,
    outputPreview: row.output_preview,
    rootAgent: row.root_agent,
    serviceNames: row.services,
    releases: row.releases,
    environments: row.environments,
    agents: row.agents,
    models: row.models,
    tools: row.tools,
    sessionId: row.session_id,
    userId: row.user_id,
    spanCount: n(row.span_count),
    llmCallCount: n(row.llm_calls),
    toolCallCount: n(row.tool_calls),
    errorCount: n(row.error_spans),
    toolErrorCount: n(row.tool_errors),
    delegationCount: n(row.delegations),
    inputTokens: n(row.input_tokens),
    outputTokens: n(row.output_tokens),
    cachedInputTokens: n(row.cached_input_tokens),
    cacheWriteTokens: n(row.cache_write_tokens),
    reasoningTokens: n(row.reasoning_tokens),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    unpricedLlmCalls: n(row.unpriced_calls),
    isRegressionRun: Boolean(row.is_regression_run),
  }
}
