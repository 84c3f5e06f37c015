/**
 * `spans` rows → the facts the trace resolver reads (packages/core SpanFacts). The one converter,
 * used by the resolver stage (rows read back from the store) and by the query API (the rows of a
 * trace it returns), so both resolve from identical inputs.
 */
import { utcSecondsToEpochMs, type SpanFacts } from '@sightline/core'
import type { SpanRowInsert, SpanRowRead } from '@sightline/schema'
import type { SkeletonColumns } from '../db/repositories/traces.js'

/** The row fields the facts are made of: what the resolver's store query selects. */
export type FactRow = Pick<
  SpanRowRead,
  | 'span_id'
  | 'parent_span_id'
  | 'name'
  | 'kind'
  | 'start_time'
  | 'end_time'
  | 'duration_ms'
  | 'status'
  | 'status_message'
  | 'error_type'
  | 'service_name'
  | 'service_version'
  | 'environment'
  | 'agent_name'
  | 'model'
  | 'is_llm_call'
  | 'input_tokens'
  | 'output_tokens'
  | 'cached_input_tokens'
  | 'cache_write_tokens'
  | 'reasoning_tokens'
  | 'cost_source'
  | 'is_unpriced'
  | 'tool_name'
  | 'tool_call_id'
  | 'tool_args_key'
  | 'session_id'
  | 'user_id'
  | 'flags'
  | 'input_preview'
  | 'output_preview'
  | 'reported_tool_errors'
> & { cost_usd: number | string | null }

/**
 * The whole seconds of the last time text read, and what they were: a trace's spans share most of them.
 * Starts as what empty seconds read as (Date.parse of `Z`), so the first answer is never a stale one.
 */
let lastSeconds = ''
let lastWhole = Number.NaN

/**
 * `2026-01-02 03:04:05.123456789` (UTC) → epoch ms, keeping the sub-millisecond digits as a fraction.
 * The whole seconds by Date.UTC of their digits (what Date.parse gives, at a fraction of its cost over
 * 100k spans), remembered for the next text with the same seconds; Date.parse for any other shape.
 */
function chTimeToMs(text: string): number {
  const dot = text.indexOf('.')
  const secondsEnd = dot < 0 ? text.length : dot
  let whole: number
  if (secondsEnd === lastSeconds.length && text.startsWith(lastSeconds)) whole = lastWhole
  else {
    const seconds = dot < 0 ? text : text.slice(0, dot)
    whole = wholeSeconds(seconds)
    lastSeconds = seconds
    lastWhole = whole
  }
  return dot < 0 ? whole : whole + Number(`0.${text.slice(dot + 1)}`) * 1000
}

/** The store's `YYYY-MM-DD hh:mm:ss` as epoch ms: by its digits (core), else as Date.parse reads it. */
function wholeSeconds(seconds: string): number {
  return (
    (seconds.length === 19 ? utcSecondsToEpochMs(seconds) : undefined) ?? Date.parse(`${seconds.replace(' ', 'T')}Z`)
  )
}

export function factsFromRow(row: FactRow | SpanRowInsert): SpanFacts {
  return {
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind,
    startMs: chTimeToMs(row.start_time),
    endMs: chTimeToMs(row.end_time),
    durationMs: Number(row.duration_ms),
    status: row.status,
    statusMessage: row.status_message,
    errorType: row.error_type,
    serviceName: row.service_name,
    serviceVersion: row.service_version,
    environment: row.environment,
    agentName: row.agent_name,
    model: row.model,
    isLlmCall: Boolean(row.is_llm_call),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    costSource: row.cost_source,
    isUnpriced: Boolean(row.is_unpriced),
    toolName: row.tool_name,
    toolCallId: row.tool_call_id,
    toolArgsKey: row.tool_args_key,
    sessionId: row.session_id,
    userId: row.user_id,
    flags: row.flags,
    inputPreview: row.input_preview,
    outputPreview: row.output_preview,
    reportedToolErrors: row.reported_tool_errors,
  }
}

/**
 * The facts of every span of a skeleton read in columns, in row order. One row object is refilled span
 * by span, so the row → facts mapping stays `factsFromRow`'s alone; the parameter's type requires every
 * column the facts are made of.
 */
export function factsFromColumns(
  c: SkeletonColumns & { readonly [K in keyof FactRow]: ReadonlyArray<unknown> },
): SpanFacts[] {
  const names = Object.keys(c).filter((name) => name !== 'count') as Array<keyof FactRow>
  const values = names.map((name) => c[name])
  const row: Record<string, unknown> = {}
  const facts = new Array<SpanFacts>(c.count)
  for (let i = 0; i < c.count; i++) {
    for (let k = 0; k < names.length; k++) row[names[k]!] = values[k]![i]
    facts[i] = factsFromRow(row as FactRow)
  }
  return facts
}
