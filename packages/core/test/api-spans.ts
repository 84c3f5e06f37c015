/**
 * API spans for tests of the reading side (observe, propose, trajectory): facts resolved the way the
 * query API resolves a stored trace, written out as the `Span`s it returns.
 */
import type { Span } from '@sightline/schema'
import { resolveTrace } from '../src/trace/resolve.js'
import type { SpanFacts } from '../src/trace/span-facts.js'

const API_TRACE_ID = 'abcdef0123456789abcdef0123456789'
/** Fact times are milliseconds after this instant. */
export const API_T0 = Date.UTC(2026, 0, 1)

/** Payloads the facts do not hold, by span id. */
export type Payloads = Record<
  string,
  Partial<Pick<Span, 'toolArguments' | 'toolResult' | 'input' | 'output' | 'attributes'>>
>

/** What the query API returns for these facts (trace-reader.ts `toSpan`). */
export function apiSpans(facts: readonly SpanFacts[], payloads: Payloads = {}): Span[] {
  const { roles, failures, trace } = resolveTrace(facts, { settled: true })
  return facts.map((f): Span => {
    const role = roles.get(f.spanId)
    const failure = failures.failed.get(f.spanId)
    return {
      traceId: API_TRACE_ID,
      spanId: f.spanId,
      parentSpanId: f.parentSpanId,
      name: f.name,
      kind: f.kind,
      startTime: new Date(API_T0 + f.startMs).toISOString(),
      endTime: new Date(API_T0 + f.endMs).toISOString(),
      durationMs: f.durationMs,
      status: f.status,
      statusMessage: f.statusMessage,
      errorType: f.errorType,
      serviceName: f.serviceName,
      serviceVersion: f.serviceVersion,
      environment: f.environment,
      agentName: role?.agent ?? f.agentName,
      operation: '',
      model: f.model,
      provider: '',
      isLlmCall: role?.llm === 'call',
      llmRole: role?.llm ?? 'none',
      toolRole: role?.tool ?? 'none',
      isDelegation: role?.isDelegation ?? false,
      delegateTo: role?.delegateTo ?? '',
      failed: failure !== undefined,
      failureInferred: failure?.inferred ?? false,
      inputTokens: f.inputTokens,
      outputTokens: f.outputTokens,
      cachedInputTokens: f.cachedInputTokens,
      cacheWriteTokens: f.cacheWriteTokens,
      reasoningTokens: f.reasoningTokens,
      costUsd: f.costUsd,
      costSource: f.costSource,
      isUnpriced: f.isUnpriced,
      toolName: f.toolName,
      toolCallId: f.toolCallId,
      toolArguments: '',
      toolResult: '',
      input: '',
      output: '',
      sessionId: trace.sessionId,
      userId: trace.userId,
      attributes: {},
      resourceAttributes: {},
      events: [],
      flags: [...f.flags],
      ...payloads[f.spanId],
    }
  })
}
