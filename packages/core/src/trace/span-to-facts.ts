/**
 * @module trace/span-to-facts
 * A span as the query API returns it (or one built like it in a test) → the facts the resolver
 * reads. The one converter on the reading side: Compare, the regression proposal and the CLI runner
 * resolve a trace they hold as API spans with it, so what they count is what the store counted.
 *
 * An API span already carries the answer of the resolution it came from: `agentName` is the agent
 * the span works for (its own, or inherited), a hand-off names the agent it reaches in `delegateTo`,
 * and a tool found failed from another span's report says so with `failureInferred`. Turned back
 * into facts, these give the same roles and failures again (span-to-facts.test.ts checks it).
 */
import { SpanKindSchema, type Span, type SpanKind, type SpanStatus } from '@sightline/schema'
import { toolArgsKey } from '../content/args-key.js'
import { previewText } from '../content/content-text.js'
import { resolveTrace, type Resolution, type ResolveOptions } from './resolve.js'
import { carriesPreview, type SpanFacts } from './span-facts.js'
import { isoToEpochMs } from './span-tree.js'

type RequiredField =
  | 'spanId'
  | 'parentSpanId'
  | 'name'
  | 'startTime'
  | 'endTime'
  | 'durationMs'
  | 'serviceName'
  | 'agentName'
  | 'model'
  | 'isLlmCall'
  | 'toolName'
  | 'toolArguments'
  | 'flags'

/** The fields a span needs to be resolved; an API `Span` fits, and so does a test's hand-built span. */
export type FactSpan = Pick<Span, RequiredField> &
  Partial<Omit<Span, RequiredField | 'kind' | 'status'>> & {
    /** A `SpanKind`; anything else reads as `span`. */
    kind: string
    /** `ok`, `error` or `unset`; anything else reads as `unset`. */
    status: string
  }

const KINDS: ReadonlySet<string> = new Set(SpanKindSchema.options)
const asKind = (kind: string): SpanKind => (KINDS.has(kind) ? (kind as SpanKind) : 'span')
const asStatus = (status: string): SpanStatus => (status === 'ok' || status === 'error' ? status : 'unset')

export function spanToFacts(span: FactSpan): SpanFacts {
  const kind = asKind(span.kind)
  const input = span.input ?? ''
  const output = span.output ?? ''
  const preview = carriesPreview(kind, span.parentSpanId)
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind,
    startMs: isoToEpochMs(span.startTime),
    endMs: isoToEpochMs(span.endTime),
    durationMs: span.durationMs,
    status: asStatus(span.status),
    statusMessage: span.statusMessage ?? '',
    errorType: span.errorType ?? '',
    serviceName: span.serviceName,
    serviceVersion: span.serviceVersion ?? '',
    environment: span.environment ?? '',
    // A hand-off works for its caller, so the API's `agentName` is the caller's: its own is whom it reaches.
    agentName: kind === 'handoff' && span.delegateTo ? span.delegateTo : span.agentName,
    model: span.model,
    // A resolved span says whether it carries a model call's usage (a call or an aggregate of calls).
    isLlmCall: span.llmRole !== undefined ? span.llmRole !== 'none' : span.isLlmCall,
    inputTokens: span.inputTokens ?? 0,
    outputTokens: span.outputTokens ?? 0,
    cachedInputTokens: span.cachedInputTokens ?? 0,
    cacheWriteTokens: span.cacheWriteTokens ?? 0,
    reasoningTokens: span.reasoningTokens ?? 0,
    costUsd: span.costUsd ?? null,
    costSource: span.costSource ?? '',
    isUnpriced: span.isUnpriced ?? false,
    toolName: span.toolName,
    toolCallId: span.toolCallId ?? '',
    toolArgsKey: toolArgsKey(span.toolArguments),
    sessionId: span.sessionId ?? '',
    userId: span.userId ?? '',
    flags: span.flags,
    inputPreview: preview ? previewText(input, 'user') : '',
    outputPreview: preview ? previewText(output, 'assistant') : '',
    // The report that made the resolver infer this failure is not in the API span; the span reports
    // itself instead (by call id, else by tool name), which the resolver matches back to it.
    reportedToolErrors: span.failureInferred ? [span.toolCallId || span.toolName || span.name] : [],
  }
}

/**
 * Resolves a trace held as API spans. Settled by default: the holder has every span the server had.
 * The server's own answer for the trace (`TraceSummary.outcome`, `failureReason`) stays the one to
 * show; this is for what the summary does not carry (counted roles per span, loops).
 */
export function resolveSpans(spans: readonly FactSpan[], options: ResolveOptions = { settled: true }): Resolution {
  return resolveTrace(spans.map(spanToFacts), options)
}
