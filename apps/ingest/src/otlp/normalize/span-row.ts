/**
 * One decoded span -> one `spans` row, or the reason it was rejected. Trace-wide fields (inherited
 * agent, session and user ids) are filled afterwards by trace-context.ts, which needs every row.
 */
import * as K from '@sightline/schema/semconv'
import type { SpanKind, SpanRowInsert } from '@sightline/schema'
import type { DecodedScopeSpans, DecodedSpan } from '../types.js'
import { markDropped } from './dropped.js'
import { eventsJson, linksJson } from './events.js'
import {
  extractAgentName,
  extractSessionId,
  extractUserId,
  type ResourceIdentity,
} from './identity.js'
import { spanTiming, validateSpanIds } from './ids-and-time.js'
import { classifySpan } from './kind.js'
import { extractInput, extractOutput } from './messages.js'
import { extractReportedCost } from './reported-cost.js'
import { extractStatus } from './status.js'
import { extractTool, NO_TOOL } from './tool.js'
import { createTruncator, flattenAttributes, type Truncator } from './truncate.js'
import { extractModel, extractProvider, extractUsage, NO_USAGE } from './usage.js'

export interface RowContext {
  projectId: string
  maxAttributeValueBytes: number
  resource: ResourceIdentity
  /** Already flattened and capped once per resource, shared by its spans. */
  resourceAttributes: Record<string, string>
  scope: DecodedScopeSpans['scope']
}

type ContentFields = Pick<
  SpanRowInsert,
  'tool_name' | 'tool_call_id' | 'tool_arguments' | 'tool_result' | 'input' | 'output'
>

/** The payload columns, each capped: these are the values that reach megabytes. */
function contentFields(span: DecodedSpan, kind: SpanKind, truncator: Truncator): ContentFields {
  const tool = kind === 'tool' ? extractTool(span.attributes, span.name) : NO_TOOL
  return {
    tool_name: tool.name,
    tool_call_id: tool.callId,
    tool_arguments: truncator.cap(tool.arguments),
    tool_result: truncator.cap(tool.result),
    input: truncator.cap(extractInput(span.attributes)),
    output: truncator.cap(extractOutput(span.attributes)),
  }
}

export type RowResult = { ok: true; row: SpanRowInsert } | { ok: false; reason: string }

export function buildSpanRow(span: DecodedSpan, ctx: RowContext): RowResult {
  const ids = validateSpanIds(span)
  if (!ids.ok) return ids
  const timing = spanTiming(span.startTimeUnixNano, span.endTimeUnixNano)
  if (!timing) return { ok: false, reason: 'start time is missing or zero' }

  const attrs = span.attributes
  const truncator = createTruncator(ctx.maxAttributeValueBytes)
  const { kind, isProviderCall, operation } = classifySpan(attrs, span.name, span.kind)
  const usage = isProviderCall ? extractUsage(attrs) : NO_USAGE
  const status = extractStatus(span)
  const cost = extractReportedCost(attrs, isProviderCall)
  const content = contentFields(span, kind, truncator)

  const row: SpanRowInsert = {
    project_id: ctx.projectId,
    trace_id: ids.traceId,
    span_id: ids.spanId,
    parent_span_id: ids.parentSpanId,
    trace_state: span.traceState,
    name: span.name,
    kind,
    otel_kind: span.kind,
    start_time: timing.startTime,
    end_time: timing.endTime,
    duration_ms: timing.durationMs,
    status: status.status,
    status_message: truncator.cap(status.statusMessage),
    error_type: status.errorType,
    service_name: ctx.resource.serviceName,
    service_version: ctx.resource.serviceVersion,
    environment: ctx.resource.environment,
    scope_name: ctx.scope.name,
    scope_version: ctx.scope.version,
    agent_name: extractAgentName(attrs, span.name, kind),
    operation,
    model: extractModel(attrs),
    provider: extractProvider(attrs),
    is_llm_call: isProviderCall,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    reasoning_tokens: usage.reasoningTokens,
    cost_usd: cost.costUsd,
    cost_source: cost.costSource,
    is_unpriced: cost.isUnpriced,
    ...content,
    session_id: extractSessionId(attrs),
    user_id: extractUserId(attrs),
    attributes: flattenAttributes(attrs, truncator, content),
    resource_attributes: ctx.resourceAttributes,
    events: eventsJson(span.events, truncator),
    links: linksJson(span.links, truncator),
    flags: timing.flags,
  }
  if (truncator.truncated) row.flags.push('truncated')
  markDropped(row, span.dropped)
  // The MCP convention puts `execute_tool` on both ends of one call; the server end is flagged so
  // that a call traced on both sides is counted once (see the trace summary).
  if (span.kind === 2 && kind === 'tool' && attrs[K.ATTR_MCP_METHOD_NAME] !== undefined) row.flags.push('mcp_server')
  return { ok: true, row }
}
