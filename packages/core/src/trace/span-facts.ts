/**
 * @module trace/span-facts
 * What the trace resolver knows of one span: the narrow, span-local facts ingest decided when the
 * span arrived (kind, usage, own agent name, protocol role…), never its payloads. Ingest reads
 * them from the store; the query API builds them from the spans it returns. Everything that needs
 * the whole trace (which agent a span works for, which spans are *the* counted calls, whether the
 * trace failed) is decided from these facts by `resolveTrace`, and nowhere else.
 */
import type { SpanKind, SpanStatus } from '@sightline/schema'

export interface SpanFacts {
  spanId: string
  /** '' for a root. A parent that is not among the facts makes the span an orphan top. */
  parentSpanId: string
  name: string
  kind: SpanKind
  /** Epoch milliseconds (fractional: nanosecond spans keep sub-millisecond order). */
  startMs: number
  endMs: number
  durationMs: number
  status: SpanStatus
  statusMessage: string
  errorType: string
  serviceName: string
  serviceVersion: string
  environment: string
  /** The agent this span names itself ('' when it names none); inheritance is the resolver's job. */
  agentName: string
  model: string
  /**
   * The span carries the usage of a model call (a candidate). Whether it is *the* counted call or an
   * aggregate repeating its descendants' usage is decided structurally by the resolver.
   */
  isLlmCall: boolean
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  /** null when unpriced (`isUnpriced`) or not a model call. */
  costUsd: number | null
  costSource: string
  isUnpriced: boolean
  toolName: string
  toolCallId: string
  /** Identity of the tool arguments (a hash of their canonical JSON), '' when not captured. */
  toolArgsKey: string
  sessionId: string
  userId: string
  /** Span-local markers: `mcp:client`, `mcp:server`, `a2a:client`, `a2a:server`, `no_end_time`, … */
  flags: readonly string[]
  inputPreview: string
  outputPreview: string
  /**
   * Tool calls this span reports as failed (tool call ids, or tool names when the convention gives
   * no id): e.g. a model request whose function response carries the error of the previous call.
   */
  reportedToolErrors: readonly string[]
}

/** Span-local flags the resolver reads (written at ingest by the conventions). */
export const SpanFlag = {
  mcpClient: 'mcp:client',
  mcpServer: 'mcp:server',
  a2aClient: 'a2a:client',
  a2aServer: 'a2a:server',
  noEndTime: 'no_end_time',
  /** A root whose span name is a framework's generic label (ADK `invocation`), not a trace name. */
  genericName: 'generic_name',
  /** The span hands the conversation to a human. */
  humanEscalation: 'human_escalation',
  /** The span's session id is only its `gen_ai.conversation.id`: a trace prefers an explicit session key. */
  sessionFromConversation: 'session_from_conversation',
  /** The span belongs to traffic `sightline regress` produced (a replay), not production. */
  regressionRun: 'regression_run',
  /** The span carries a `gen_ai.evaluation.result` event (read as a score once the trace is resolved). */
  evaluationResult: 'evaluation_result',
} as const

/**
 * Spans whose input and output can tell a trace's story (agents, model calls, a root): only they keep
 * a preview, which saves parsing every tool payload on the ingest path.
 */
export const carriesPreview = (kind: SpanKind, parentSpanId: string) =>
  kind === 'agent' || kind === 'llm' || parentSpanId === ''
