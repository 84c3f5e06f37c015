/** A complete skeleton-like span for unit tests; override what the test is about. */
import type { Span } from '@sightline/schema'

const T0 = Date.parse('2026-01-01T00:00:00Z')

export function testSpan(spanId: string, parentSpanId: string, startMs: number, endMs: number, over: Partial<Span> = {}): Span {
  return {
    traceId: '0'.repeat(32), spanId, parentSpanId, name: spanId, kind: 'span',
    startTime: new Date(T0 + startMs).toISOString(), endTime: new Date(T0 + endMs).toISOString(), durationMs: endMs - startMs,
    status: 'ok', statusMessage: '', errorType: '', serviceName: 'svc', serviceVersion: '', environment: '', agentName: '',
    operation: '', model: '', provider: '', isLlmCall: false, llmRole: 'none', toolRole: 'none', isDelegation: false, delegateTo: '',
    failed: false, failureInferred: false, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0,
    cacheWriteTokens: 0, reasoningTokens: 0, costUsd: null, costSource: '', isUnpriced: false, toolName: '', toolCallId: '',
    toolArguments: '', toolResult: '', input: '', output: '', sessionId: '', userId: '', attributes: {}, resourceAttributes: {},
    events: [], flags: [], ...over,
  }
}
