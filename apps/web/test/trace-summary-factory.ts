/** A complete resolved trace summary for component tests; override what the test is about. */
import type { TraceSummary } from '@sightline/schema'

export function testTrace(over: Partial<TraceSummary> = {}): TraceSummary {
  return {
    traceId: 'ab'.repeat(16), rootSpanId: '1'.repeat(16), name: 'planner', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:05.000Z',
    durationMs: 5000, outcome: 'ok', failureReason: '', failureSpanId: '', firstError: null, tags: [], inputPreview: '', outputPreview: '',
    rootAgent: 'planner', serviceNames: ['planner-svc'], releases: [], environments: [], agents: ['planner'], models: [], tools: [],
    sessionId: '', userId: '', spanCount: 3, llmCallCount: 1, toolCallCount: 1, errorCount: 0, toolErrorCount: 0, delegationCount: 0,
    inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costUsd: 0.01, unpricedLlmCalls: 0,
    isRegressionRun: false, ...over,
  }
}
