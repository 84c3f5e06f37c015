/**
 * One decoded span -> one `spans` row, or the reason it was rejected. Only what the span itself says
 * is decided here; everything that needs the whole trace (the agent a span works for, which spans
 * are the counted calls, the outcome) is the trace resolver's (packages/core/src/trace).
 */
import type { SpanKind, SpanRowInsert } from '@sightline/schema'
import { carriesPreview, previewText, SpanFlag, toolArgsKey } from '@sightline/core'
import { EVENT_GEN_AI_EVALUATION_RESULT } from '@sightline/schema/semconv'
import type { DecodedScopeSpans, DecodedSpan } from '../types.js'
import { markDropped } from './dropped.js'
import { adkReportedToolErrors } from './adk.js'
import { eventsJson, linksJson } from './events.js'
import { extractAgentName, extractSession, extractUserId, type ResourceIdentity } from './identity.js'
import { spanTiming, validateSpanIds } from './ids-and-time.js'
import { classifySpan } from './kind.js'
import { extractInput, extractOutput } from './messages.js'
import { extractReportedCost } from './reported-cost.js'
import { spanMarkers } from './span-markers.js'
import { extractStatus } from './status.js'
import { extractTool, NO_TOOL } from './tool.js'
import { createTruncator, flattenAttributes, type Truncator } from './truncate.js'
import { extractProvider } from './provider.js'
import { extractModel, extractUsage, hasUsage } from './usage.js'

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
  const scope = ctx.scope.name
  const classified = classifySpan({ attrs, name: span.name, otelKind: span.kind, scope })
  const { isProviderCall, operation } = classified
  // Usage is read on every span: whether a span carrying usage is a call or an aggregate repeating
  // its children's is decided structurally by the resolver, not per library here.
  const usage = extractUsage(attrs)
  const model = extractModel(attrs)
  // A span with a model and usage that no convention claims is still a model call: counted, and
  // priced or counted as unpriced, never dropped because its library names its spans its own way.
  const isLlmCall = isProviderCall || (model !== '' && hasUsage(usage))
  const kind: SpanKind = classified.kind === 'span' && isLlmCall ? 'llm' : classified.kind
  const status = extractStatus(span)
  const cost = extractReportedCost(attrs, isLlmCall)
  const content = contentFields(span, kind, truncator)
  const agentName = extractAgentName(attrs, span.name, kind)
  const summarised = carriesPreview(kind, ids.parentSpanId)
  const session = extractSession(attrs)

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
    agent_name: agentName,
    operation,
    model,
    provider: extractProvider(attrs),
    is_llm_call: isLlmCall,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cached_input_tokens: usage.cachedInputTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    reasoning_tokens: usage.reasoningTokens,
    cost_usd: cost.costUsd,
    cost_source: cost.costSource,
    is_unpriced: cost.isUnpriced,
    ...content,
    input_preview: summarised ? previewText(content.input, 'user') : '',
    output_preview: summarised ? previewText(content.output, 'assistant') : '',
    tool_args_key: toolArgsKey(content.tool_arguments),
    reported_tool_errors: kind === 'llm' ? adkReportedToolErrors(attrs) : [],
    session_id: session.sessionId,
    user_id: extractUserId(attrs),
    attributes: flattenAttributes(attrs, truncator, content),
    resource_attributes: ctx.resourceAttributes,
    events: eventsJson(span.events, truncator),
    links: linksJson(span.links, truncator),
    flags: [
      ...timing.flags,
      ...spanMarkers({
        attrs,
        name: span.name,
        scope,
        otelKind: span.kind,
        kind,
        agentName,
        resource: ctx.resourceAttributes,
      }),
      ...(session.fromConversation ? [SpanFlag.sessionFromConversation] : []),
      ...(span.events.some((e) => e.name === EVENT_GEN_AI_EVALUATION_RESULT) ? [SpanFlag.evaluationResult] : []),
    ],
  }
  if (truncator.truncated) row.flags.push('truncated')
  markDropped(row, span.dropped)
  return { ok: true, row }
}
