import type { Span, SpanKind, SpanStatus } from './span.js'

/**
 * A row of the `spans` table as ingest writes it (snake_case, one column per key).
 * Times are ClickHouse DateTime64(9) text in UTC (`2024-01-02 03:04:05.123456789`): a JS Date
 * would lose the nanoseconds. Token columns hold counts only on provider-call spans
 * (`is_llm_call`); aggregate spans keep their sums in `attributes`, so SUM() never double counts.
 */
export interface SpanRowInsert {
  project_id: string
  trace_id: string
  span_id: string
  parent_span_id: string
  trace_state: string
  name: string
  kind: SpanKind
  otel_kind: number
  start_time: string
  end_time: string
  duration_ms: number
  status: SpanStatus
  status_message: string
  error_type: string
  service_name: string
  service_version: string
  environment: string
  scope_name: string
  scope_version: string
  agent_name: string
  operation: string
  model: string
  provider: string
  is_llm_call: boolean
  input_tokens: number
  output_tokens: number
  cached_input_tokens: number
  cache_write_tokens: number
  reasoning_tokens: number
  /** Decimal as a string, or null when unpriced. */
  cost_usd: string | null
  cost_source: string
  is_unpriced: boolean
  tool_name: string
  tool_call_id: string
  tool_arguments: string
  tool_result: string
  input: string
  output: string
  /** One line of readable text of `input` (the request) and `output`, for lists; '' on spans no summary reads. */
  input_preview: string
  output_preview: string
  /** Identity of `tool_arguments` (a hash of their canonical JSON), '' when none: loops compare these. */
  tool_args_key: string
  /** Tool calls this span reports as failed (call ids, or tool names), e.g. an ADK model request. */
  reported_tool_errors: string[]
  session_id: string
  user_id: string
  attributes: Record<string, string>
  resource_attributes: Record<string, string>
  /** JSON array of `{ time, name, attributes }`. */
  events: string
  /** JSON array of `{ traceId, spanId, attributes }`. */
  links: string
  flags: string[]
}

/**
 * The columns of `SpanRowInsert`, in the table's order: the column list of compact inserts
 * (JSONCompactEachRow, values without key names). Kept complete by a test against written rows.
 */
export const SPAN_INSERT_COLUMNS = [
  'project_id',
  'trace_id',
  'span_id',
  'parent_span_id',
  'trace_state',
  'name',
  'kind',
  'otel_kind',
  'start_time',
  'end_time',
  'duration_ms',
  'status',
  'status_message',
  'error_type',
  'service_name',
  'service_version',
  'environment',
  'scope_name',
  'scope_version',
  'agent_name',
  'operation',
  'model',
  'provider',
  'is_llm_call',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_source',
  'is_unpriced',
  'tool_name',
  'tool_call_id',
  'tool_arguments',
  'tool_result',
  'input',
  'output',
  'session_id',
  'user_id',
  'attributes',
  'resource_attributes',
  'events',
  'links',
  'flags',
  'input_preview',
  'output_preview',
  'tool_args_key',
  'reported_tool_errors',
] as const satisfies ReadonlyArray<keyof SpanRowInsert>

/** A row read back from `spans`; ClickHouse returns the same columns (decimals as numbers). */
export type SpanRowRead = Omit<SpanRowInsert, 'cost_usd'> & { cost_usd: number | null }

/** The span columns that hold content an attribute may have carried verbatim. */
export const CONTENT_COLUMNS = ['input', 'output', 'tool_arguments', 'tool_result'] as const
export type ContentColumn = (typeof CONTENT_COLUMNS)[number]

/**
 * An attribute whose text is exactly a content column's (a prompt in `gen_ai.input.messages` that
 * became `input`) is stored as this marker plus the column name, not twice: messages are most of a
 * span's bytes, and storing them twice halved insert throughput. Readers get the text back through
 * `spanRowToSpan`.
 */
export const MOVED_ATTRIBUTE_MARKER = '@sightline:same-as-column:'

function restoreMovedAttributes(row: SpanRowRead): Record<string, string> {
  let restored: Record<string, string> | undefined
  for (const [key, value] of Object.entries(row.attributes)) {
    if (!value.startsWith(MOVED_ATTRIBUTE_MARKER)) continue
    const column = value.slice(MOVED_ATTRIBUTE_MARKER.length) as ContentColumn
    if (!(CONTENT_COLUMNS as readonly string[]).includes(column)) continue
    restored ??= { ...row.attributes }
    restored[key] = row[column]
  }
  return restored ?? row.attributes
}

/** `2024-01-02 03:04:05.123456789` (ClickHouse, UTC) → `2024-01-02T03:04:05.123456789Z`. */
export function chTimeToIso(value: string): string {
  return `${value.replace(' ', 'T')}Z`
}

function parseJsonArray(text: string): unknown[] {
  if (!text) return []
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? parsed : []
  } catch {
    return []
  }
}

/**
 * What the trace resolver decided about a span (its agent and counted role): not in the row, which holds only what the
 * span says itself.
 */
export type SpanResolutionFields = Pick<
  Span,
  | 'agentName'
  | 'sessionId'
  | 'userId'
  | 'isLlmCall'
  | 'llmRole'
  | 'toolRole'
  | 'isDelegation'
  | 'delegateTo'
  | 'failed'
  | 'failureInferred'
>

export function spanRowToSpan(row: SpanRowRead, resolved: SpanResolutionFields): Span {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind,
    startTime: chTimeToIso(row.start_time),
    endTime: chTimeToIso(row.end_time),
    durationMs: row.duration_ms,
    status: row.status,
    statusMessage: row.status_message,
    errorType: row.error_type,
    serviceName: row.service_name,
    serviceVersion: row.service_version,
    environment: row.environment,
    operation: row.operation,
    model: row.model,
    provider: row.provider,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    costSource: row.cost_source,
    isUnpriced: row.is_unpriced,
    toolName: row.tool_name,
    toolCallId: row.tool_call_id,
    toolArguments: row.tool_arguments,
    toolResult: row.tool_result,
    input: row.input,
    output: row.output,
    attributes: restoreMovedAttributes(row),
    resourceAttributes: row.resource_attributes,
    events: parseJsonArray(row.events) as Span['events'],
    flags: row.flags,
    ...resolved,
  }
}
