/**
 * `fixtures/<framework>/ground-truth.json`: what really happened in one captured run, written by the
 * capture script from what the mock model served and what the app saw, never from the exported
 * spans. The contract tests compare Sightline's reading of the spans against it. README.md
 * describes every field.
 */
import { z } from 'zod'

/** Token counters of one model call, in the OTel GenAI sense: input includes cached, output includes reasoning. */
const TokenUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
})
export type TokenUsage = z.infer<typeof TokenUsageSchema>

const LlmCallSchema = TokenUsageSchema.extend({
  /** genai-prices provider id of the API the mock played (`google`, `openai`). */
  provider: z.string(),
  /** Model name the framework asked for. */
  model: z.string(),
  /** The agent whose turn it was (from the scenario's script, not from spans). */
  agent: z.string(),
  /** The API endpoint served, e.g. `gemini.generateContent`, `openai.chat.completions`, `openai.responses`. */
  api: z.string(),
  stream: z.boolean(),
  /** The usage object exactly as the mock sent it, in the provider's own field names. */
  providerUsage: z.record(z.string(), z.unknown()),
})
export type LlmCall = z.infer<typeof LlmCallSchema>

const ToolCallSchema = z.object({
  name: z.string(),
  /** Agent whose model asked for the call. */
  agent: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** What the tool returned (absent when it threw). */
  result: z.unknown().optional(),
  failed: z.boolean(),
  /** The thrown error's message, when `failed`. */
  error: z.string().optional(),
})
export type ToolCall = z.infer<typeof ToolCallSchema>

const CapturedFileSchema = z.object({
  file: z.string(),
  contentType: z.string(),
  contentEncoding: z.string(),
  bytes: z.number().int().positive(),
})
export type CapturedFile = z.infer<typeof CapturedFileSchema>

export const GroundTruthSchema = z.object({
  framework: z.string(),
  scenario: z.string(),
  capturedAt: z.iso.datetime(),
  node: z.string(),
  /** Exact installed versions of the packages that produced the bodies. */
  packages: z.record(z.string(), z.string()),
  exporter: z.object({ package: z.string(), version: z.string(), protocol: z.enum(['json', 'protobuf']) }),
  /** Request bodies in the order the exporter sent them. */
  requests: z.array(CapturedFileSchema).min(1),
  /** Number of separate top-level runs (traces) the app started. */
  runs: z.number().int().positive(),
  llmCalls: z.array(LlmCallSchema).min(1),
  toolCalls: z.array(ToolCallSchema),
  /** Every agent that took part, by the name the app gave it. */
  agents: z.array(z.string()),
  /** Control passed from one agent to another (handoff) or an agent called as a tool (delegation). */
  handoffs: z.array(z.object({ from: z.string(), to: z.string(), mode: z.enum(['handoff', 'agent-as-tool']) })),
  sessionId: z.string().nullable(),
  userId: z.string().nullable(),
  /** Facts about this capture the tests or readers need (e.g. where a framework puts the session). */
  notes: z.array(z.string()),
})
export type GroundTruth = z.infer<typeof GroundTruthSchema>

/** Sums of a list of calls' counters. */
export function sumUsage(calls: readonly TokenUsage[]): TokenUsage {
  return calls.reduce<TokenUsage>(
    (sum, c) => ({
      inputTokens: sum.inputTokens + c.inputTokens,
      outputTokens: sum.outputTokens + c.outputTokens,
      cachedInputTokens: sum.cachedInputTokens + c.cachedInputTokens,
      reasoningTokens: sum.reasoningTokens + c.reasoningTokens,
    }),
    { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 },
  )
}
