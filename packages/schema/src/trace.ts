import { z } from 'zod'
import { SpanSchema } from './span.js'

/**
 * What a trace came to; decided once (packages/core/src/trace/failures.ts) and read by every page,
 * API and CLI:
 * - `ok`: nothing failed;
 * - `failed`: the trace did not achieve its goal: the root failed, or an agent invocation or a
 *   delegation failed and no later attempt of the same caller recovered it;
 * - `recovered`: something failed inside (a tool, a guardrail, a retried agent) and the run still ended well;
 * - `running`: the root span has not arrived (or not ended) yet.
 */
export const TraceOutcomeSchema = z.enum(['ok', 'failed', 'recovered', 'running'])
export type TraceOutcome = z.infer<typeof TraceOutcomeSchema>

/**
 * The story of a trace at a glance: a tool called again and again with the same arguments (`loop`),
 * a failed call retried successfully (`recovered-retry`), a guardrail that fired, a hand-off to a
 * human, a root span that never arrived (`partial`).
 */
export const TraceTagSchema = z.enum(['loop', 'recovered-retry', 'guardrail', 'human-escalation', 'partial'])
export type TraceTag = z.infer<typeof TraceTagSchema>

/** A trace as lists and the trace view show it: the resolved answer, each call counted once. */
export const TraceSummarySchema = z.object({
  traceId: z.string(),
  /** The root span (or, for a trace whose root never arrived, its earliest span). */
  rootSpanId: z.string(),
  name: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  durationMs: z.number(),
  outcome: TraceOutcomeSchema,
  /** Why a failed trace failed (`<tool, agent or delegate>: <message>`); '' otherwise. */
  failureReason: z.string(),
  /** The span that explains the failure ('' unless failed). */
  failureSpanId: z.string(),
  /** The earliest failed span, whatever the outcome (a recovered trace has one too). */
  firstError: z.object({ spanId: z.string(), message: z.string() }).nullable(),
  tags: z.array(TraceTagSchema),
  /** One line of what the trace was asked and what it answered. */
  inputPreview: z.string(),
  outputPreview: z.string(),
  /** The agent the trace is run by (the root's). */
  rootAgent: z.string(),
  serviceNames: z.array(z.string()),
  releases: z.array(z.string()),
  environments: z.array(z.string()),
  agents: z.array(z.string()),
  models: z.array(z.string()),
  tools: z.array(z.string()),
  sessionId: z.string(),
  userId: z.string(),
  spanCount: z.number(),
  /** Model calls, each counted once (aggregates repeating their children's usage are not calls). */
  llmCallCount: z.number(),
  /** Tool calls, each counted once (an MCP call traced on both ends is one call). */
  toolCallCount: z.number(),
  /** Failed spans, including tools a later model request reported failed. */
  errorCount: z.number(),
  toolErrorCount: z.number(),
  /** Hand-offs to other agents (an A2A call traced on both ends is one). */
  delegationCount: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  reasoningTokens: z.number(),
  /** Sum over priced LLM calls; null when no call in the trace could be priced. */
  costUsd: z.number().nullable(),
  unpricedLlmCalls: z.number(),
  /** Traffic of `sightline regress` (a replay of a regression case), not production. */
  isRegressionRun: z.boolean(),
})
export type TraceSummary = z.infer<typeof TraceSummarySchema>

export const TraceDetailSchema = z.object({ trace: TraceSummarySchema, spans: z.array(SpanSchema) })
export type TraceDetail = z.infer<typeof TraceDetailSchema>
