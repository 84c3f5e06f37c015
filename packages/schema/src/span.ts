import { z } from 'zod'

/** What a span does in an agent run; every convention is mapped onto these. */
export const SpanKindSchema = z.enum([
  'agent',
  'llm',
  'tool',
  'retriever',
  'embedding',
  'chain',
  'guardrail',
  'handoff',
  'span',
])
export type SpanKind = z.infer<typeof SpanKindSchema>

/** `unset` is kept apart from `ok`: OTLP's UNSET means "nobody said", not success. */
export const SpanStatusSchema = z.enum(['ok', 'error', 'unset'])
export type SpanStatus = z.infer<typeof SpanStatusSchema>

export const SpanEventSchema = z.object({
  time: z.string(),
  name: z.string(),
  attributes: z.record(z.string(), z.unknown()),
})
export type SpanEvent = z.infer<typeof SpanEventSchema>

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`))

/** One span as the query API returns it (camelCase, ISO times, ids lower-case hex). */
export const SpanSchema = z.object({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: z.union([hex(16), z.literal('')]),
  name: z.string(),
  kind: SpanKindSchema,
  startTime: z.string(),
  endTime: z.string(),
  durationMs: z.number(),
  status: SpanStatusSchema,
  statusMessage: z.string(),
  errorType: z.string(),
  serviceName: z.string(),
  serviceVersion: z.string(),
  environment: z.string(),
  /** The agent the span works for: its own, or its nearest agent ancestor's (across services). */
  agentName: z.string(),
  operation: z.string(),
  model: z.string(),
  provider: z.string(),
  /** The span is a counted model call (`llmRole === 'call'`). */
  isLlmCall: z.boolean(),
  /** `call`: a counted model call; `aggregate`: repeats the usage of model calls below it; `none`. */
  llmRole: z.enum(['call', 'aggregate', 'none']),
  /** `call`: a counted tool call; `part`: another span of a call counted elsewhere (an MCP server end); `none`. */
  toolRole: z.enum(['call', 'part', 'none']),
  /** A hand-off to another agent, counted once (the A2A client end). */
  isDelegation: z.boolean(),
  /**
   * The agent a delegation hands to ('' unless `isDelegation`): a hand-off span works for its caller
   * (`agentName`), so the agent it reaches needs a field of its own.
   */
  delegateTo: z.string(),
  /** The span failed: by its status, or because a later span reported it (`failureInferred`). */
  failed: z.boolean(),
  failureInferred: z.boolean(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  reasoningTokens: z.number(),
  /** null when the model could not be priced (see `isUnpriced`), never a silent 0. */
  costUsd: z.number().nullable(),
  costSource: z.string(),
  isUnpriced: z.boolean(),
  toolName: z.string(),
  toolCallId: z.string(),
  toolArguments: z.string(),
  toolResult: z.string(),
  input: z.string(),
  output: z.string(),
  /** The trace's session and user (a span belongs to its trace's). */
  sessionId: z.string(),
  userId: z.string(),
  attributes: z.record(z.string(), z.string()),
  resourceAttributes: z.record(z.string(), z.string()),
  events: z.array(SpanEventSchema),
  flags: z.array(z.string()),
})
export type Span = z.infer<typeof SpanSchema>
