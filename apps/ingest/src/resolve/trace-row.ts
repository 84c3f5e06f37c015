/**
 * A resolution (packages/core `resolveTrace`) as a row of the `traces` table, and the pair of rows
 * that replaces an earlier state: the earlier row with sign -1, the new one with sign +1. Rows are
 * JSONEachRow objects; decimals are written as exact decimal text so that a cancel row read back
 * from the store takes back exactly what its original added to the rollups.
 */
import { createHash } from 'node:crypto'
import { formatCostUsd, type Contribution, type ResolvedTrace } from '@sightline/core'

export interface TraceRowMeta {
  projectId: string
  traceId: string
  /** DateTime64(9) text of the earliest span start / latest span end (kept exact, not via ms). */
  startTime: string
  endTime: string
  /** DateTime64(3) text: when the trace last received spans. */
  lastIngested: string
}

/** A `traces` row as written and as read back (`SELECT *` in JSON): only keys the table has. */
export type TraceRow = Record<string, unknown> & { version: number | string; sign: number; content_hash: string }

const CONTRIBUTION_FIELDS = [
  ['input_tokens', 'inputTokens'],
  ['output_tokens', 'outputTokens'],
  ['cached_input_tokens', 'cachedInputTokens'],
  ['cache_write_tokens', 'cacheWriteTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
  ['llm_calls', 'llmCalls'],
  ['llm_errors', 'llmErrors'],
  ['unpriced_calls', 'unpricedCalls'],
  ['unpriced_input_tokens', 'unpricedInputTokens'],
  ['unpriced_output_tokens', 'unpricedOutputTokens'],
  ['tool_calls', 'toolCalls'],
  ['tool_errors', 'toolErrors'],
  ['delegations', 'delegations'],
  ['units', 'units'],
  ['unit_failures', 'unitFailures'],
  ['unit_recovered', 'unitRecovered'],
  ['traces', 'traces'],
  ['spans', 'spans'],
] as const satisfies ReadonlyArray<readonly [string, keyof Contribution]>

/** The row's content (everything but version, sign and bookkeeping times), plus its hash. */
export function traceRowContent(
  meta: TraceRowMeta,
  t: ResolvedTrace,
  contributions: readonly Contribution[],
): Record<string, unknown> {
  const content: Record<string, unknown> = {
    project_id: meta.projectId,
    trace_id: meta.traceId,
    start_time: meta.startTime,
    end_time: meta.endTime,
    duration_ms: t.durationMs,
    root_span_id: t.rootSpanId,
    name: t.name,
    outcome: t.outcome,
    failure_reason: t.failureReason,
    failure_span_id: t.failureSpanId,
    first_error_span_id: t.firstError?.spanId ?? '',
    first_error: t.firstError?.message ?? '',
    tags: t.tags,
    loops: JSON.stringify(t.loops),
    input_preview: t.inputPreview,
    output_preview: t.outputPreview,
    root_agent: t.rootAgent,
    root_service: t.rootService,
    agents: t.agents,
    models: t.models,
    tools: t.tools,
    services: t.services,
    releases: t.releases,
    environments: t.environments,
    session_id: t.sessionId,
    user_id: t.userId,
    span_count: t.spanCount,
    llm_calls: t.llmCalls,
    tool_calls: t.toolCalls,
    tool_errors: t.toolErrors,
    delegations: t.delegations,
    agent_invocations: t.agentInvocations,
    error_spans: t.errorSpans,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cached_input_tokens: t.cachedInputTokens,
    cache_write_tokens: t.cacheWriteTokens,
    reasoning_tokens: t.reasoningTokens,
    cost_usd: t.costUsd === null ? null : formatCostUsd(t.costUsd),
    unpriced_calls: t.unpricedCalls,
    is_regression_run: t.isRegressionRun,
    'contributions.dim_type': contributions.map((c) => c.dimType),
    'contributions.dim_value': contributions.map((c) => c.dimValue),
    'contributions.cost_usd': contributions.map((c) => formatCostUsd(c.costUsd)),
    'contributions.lat_buckets': contributions.map((c) => c.latency.buckets),
    'contributions.lat_counts': contributions.map((c) => c.latency.counts),
  }
  for (const [column, field] of CONTRIBUTION_FIELDS)
    content[`contributions.${column}`] = contributions.map((c) => c[field])
  return content
}

/** A state's content as JSON text, serialised once: its hash and its row's line both come from it. */
export interface EncodedContent {
  content: Record<string, unknown>
  json: string
  hash: string
}

export function encodeContent(content: Record<string, unknown>): EncodedContent {
  const json = JSON.stringify(content)
  return { content, json, hash: createHash('sha256').update(json).digest('base64url').slice(0, 22) }
}

/**
 * The JSONEachRow line of a new state: the content's JSON with the bookkeeping keys appended, so the
 * content (contributions included, most of a row) is not serialised a second time for the insert.
 */
export function newTraceRowLine(
  encoded: EncodedContent,
  version: number,
  lastIngested: string,
  resolvedAt: string,
): string {
  const bookkeeping = {
    content_hash: encoded.hash,
    version,
    sign: 1,
    resolved_at: resolvedAt,
    last_ingested: lastIngested,
  }
  // Appended, a key the content already held would be in the line twice.
  for (const key in bookkeeping) if (key in encoded.content) throw new Error(`trace content holds ${key}`)
  const tail = JSON.stringify(bookkeeping).slice(1)
  return encoded.json === '{}' ? `{${tail}` : `${encoded.json.slice(0, -1)},${tail}`
}

/** The row that cancels `stored` (same key, same version, sign -1). */
export function cancelRow(stored: TraceRow): TraceRow {
  return { ...stored, sign: -1 }
}
