import { z } from 'zod'
import { SpanSchema } from './span.js'

/** A trace as lists and the trace view show it: totals over its spans, tokens counted once. */
export const TraceSummarySchema = z.object({
  traceId: z.string(),
  /** The root span (or, for a trace whose root never arrived, its earliest span). */
  rootSpanId: z.string(),
  name: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  durationMs: z.number(),
  status: z.enum(['ok', 'error']),
  serviceNames: z.array(z.string()),
  releases: z.array(z.string()),
  environments: z.array(z.string()),
  agents: z.array(z.string()),
  models: z.array(z.string()),
  sessionId: z.string(),
  userId: z.string(),
  spanCount: z.number(),
  llmCallCount: z.number(),
  toolCallCount: z.number(),
  errorCount: z.number(),
  toolErrorCount: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  reasoningTokens: z.number(),
  /** Sum over priced LLM calls; null when no call in the trace could be priced. */
  costUsd: z.number().nullable(),
  unpricedLlmCalls: z.number(),
})
export type TraceSummary = z.infer<typeof TraceSummarySchema>

export const TraceDetailSchema = z.object({ trace: TraceSummarySchema, spans: z.array(SpanSchema) })
export type TraceDetail = z.infer<typeof TraceDetailSchema>
