/**
 * @module regression/case
 * Regression Case v1: a failed trace turned into a self-contained, replayable test. Everything a
 * runner needs is in one JSON document: the input, the recorded world (tool results and errors,
 * sub-agent answers), what went wrong, the expected trajectory with explicit match settings, the
 * assertions and the run policy. The JSON Schema file `regression-case.schema.json` is generated
 * from these zod schemas (see json-schema.test.ts).
 */
import { z } from 'zod'

const hex = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`))
const jsonObject = z.record(z.string(), z.unknown())

export const REGRESSION_CASE_SCHEMA_VERSION = '1' as const

/** What a step does. `protocol` says how it travelled (an MCP tool call is `tool_call` + `mcp`). */
export const CaseStepKindSchema = z.enum(['llm_call', 'tool_call', 'agent_delegation'])
export type CaseStepKind = z.infer<typeof CaseStepKindSchema>

export const CaseStepProtocolSchema = z.enum(['mcp', 'function', 'a2a', 'llm'])

/** How a step's arguments are compared: all of them, only the expected keys, or not at all. */
export const ArgsMatchSchema = z.enum(['exact', 'subset', 'ignore'])
export type ArgsMatch = z.infer<typeof ArgsMatchSchema>

export const CaseStepSchema = z.object({
  kind: CaseStepKindSchema,
  /** Tool name, target agent name, or model. */
  name: z.string().min(1),
  /** The agent that took the step ('' when the trace names none). */
  agent: z.string().default(''),
  protocol: CaseStepProtocolSchema.optional(),
  args: jsonObject.optional(),
  argsMatch: ArgsMatchSchema.default('subset').describe('expected steps only: how `args` is compared'),
  ignorePaths: z
    .array(z.string())
    .default([])
    .describe('RFC 6901 JSON Pointers removed from both sides before comparing'),
  /** Expected steps only: the step may be absent even when `missing` steps are forbidden. */
  optional: z.boolean().default(false),
  isError: z.boolean().optional().describe('observed steps: the span failed'),
  spanId: hex(16).optional(),
})
export type CaseStep = z.infer<typeof CaseStepSchema>

/** The three explicit settings (no `subset`/`superset` words: tools disagree on what they mean). */
export const CaseMatchSchema = z.object({
  order: z.enum(['strict', 'any']).default('strict').describe('strict: expected steps appear in this relative order'),
  extras: z.enum(['allow', 'forbid']).default('allow').describe('steps the expected list does not name'),
  missing: z.enum(['allow', 'forbid']).default('forbid').describe('expected steps that never happen'),
  /** Which step kinds take part; the others are ignored on both sides. */
  kinds: z.array(CaseStepKindSchema).default(['tool_call', 'agent_delegation']),
})
export type CaseMatch = z.infer<typeof CaseMatchSchema>

export const CompactSpanSchema = z.object({
  spanId: hex(16),
  parentSpanId: z.union([hex(16), z.literal('')]),
  name: z.string(),
  kind: z.string(),
  agent: z.string(),
  service: z.string(),
  release: z.string(),
  status: z.string(),
  startTime: z.string(),
  durationMs: z.number(),
  tool: z.string().optional(),
  model: z.string().optional(),
  errorType: z.string().optional(),
  statusMessage: z.string().optional(),
})
export type CompactSpan = z.infer<typeof CompactSpanSchema>

export const McpContentSchema = z.looseObject({ type: z.string() })

/** An MCP `CallToolResult`: what the replay server answers. */
export const RecordedToolResultSchema = z.object({
  content: z.array(McpContentSchema).default([]),
  structuredContent: jsonObject.optional(),
  isError: z.boolean().default(false),
})
export type RecordedToolResult = z.infer<typeof RecordedToolResultSchema>

export const ToolRecordingSchema = z.object({
  tool: z.string().min(1),
  agent: z.string().default(''),
  args: jsonObject.default({}),
  /** The recorded answer. A failed call is a result with `isError: true` (MCP's own convention). */
  result: RecordedToolResultSchema,
  spanId: hex(16).optional(),
  /** Fields the redaction preview masked in `args` and `result` (JSON Pointers). */
  redacted: z.array(z.string()).default([]),
})
export type ToolRecording = z.infer<typeof ToolRecordingSchema>

export const AgentRecordingSchema = z.object({
  /** The sub-agent's name (its agent card name). */
  agent: z.string().min(1),
  /** The calling agent. */
  caller: z.string().default(''),
  request: z.string().default(''),
  answer: z.string(),
  state: z.enum(['completed', 'failed']).default('completed'),
  spanId: hex(16).optional(),
})
export type AgentRecording = z.infer<typeof AgentRecordingSchema>

export const LlmRecordingSchema = z.object({
  model: z.string(),
  agent: z.string().default(''),
  output: z.string(),
  spanId: hex(16).optional(),
})

export const RunUsageSchema = z.object({
  inputTokens: z.number().default(0),
  outputTokens: z.number().default(0),
  costUsd: z.number().nullable().default(null),
  steps: z.number().default(0),
  llmCalls: z.number().default(0),
  toolCalls: z.number().default(0),
  latencyMs: z.number().default(0),
})
export type RunUsage = z.infer<typeof RunUsageSchema>

export const RunOutcomeSchema = z.object({
  status: z.enum(['ok', 'error']),
  errorType: z.string().default(''),
  message: z.string().default(''),
})

export const FailureCategorySchema = z.enum([
  'loop',
  'tool_error_unhandled',
  'error',
  'budget_overrun',
  'wrong_output',
  'delegation_failed',
  'other',
])

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  description: z.string().default(''),
  /** Blocking assertions decide the verdict; advisory ones are reported only. */
  blocking: z.boolean().default(true),
  /** Only steps and spans of this agent ('' = the whole run). */
  scope: z.string().default(''),
}

export const BudgetMetricSchema = z.enum(['costUsd', 'tokens', 'steps', 'toolCalls', 'llmCalls', 'latencyMs'])
export type BudgetMetric = z.infer<typeof BudgetMetricSchema>

export const CaseAssertionSchema = z.discriminatedUnion('type', [
  z
    .object({ ...base, type: z.literal('trajectory') })
    .describe('the run matches `expected.trajectory` under `expected.match`'),
  z.object({ ...base, type: z.literal('status'), equals: z.enum(['ok', 'error']).default('ok') }),
  z.object({
    ...base,
    type: z.literal('output'),
    op: z.enum(['contains', 'not_contains', 'regex']),
    value: z.string(),
    caseSensitive: z.boolean().default(false),
  }),
  z
    .object({
      ...base,
      type: z.literal('max_repeated_calls'),
      /** Tool name; omitted = every tool. */
      tool: z.string().optional(),
      max: z.number().int().min(1),
      ignorePaths: z.array(z.string()).default([]),
    })
    .describe('no tool is called more than `max` times with the same arguments'),
  z.object({
    ...base,
    type: z.literal('step_count'),
    kind: CaseStepKindSchema,
    name: z.string().optional(),
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
  }),
  z.object({ ...base, type: z.literal('budget'), metric: BudgetMetricSchema, max: z.number().min(0) }),
  z
    .object({ ...base, type: z.literal('no_errors'), includeToolErrors: z.boolean().default(false) })
    .describe('no agent or LLM span failed (tool errors are the recorded world unless included)'),
])
export type CaseAssertion = z.infer<typeof CaseAssertionSchema>
export type CaseAssertionType = CaseAssertion['type']

export const PassRuleSchema = z.union([
  z.enum(['all', 'majority', 'any']),
  z.object({ atLeast: z.number().int().min(1) }).describe('k-of-n: at least k passing runs'),
])
export type PassRule = z.infer<typeof PassRuleSchema>

/** How the replay servers are announced to the agent: env var name → what it points at. */
export const WorldBindingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mcp') }),
  z.object({ kind: z.literal('a2a'), agent: z.string().min(1) }),
])

export const RegressionCaseSchema = z.object({
  $schema: z.string().optional(),
  schemaVersion: z.literal(REGRESSION_CASE_SCHEMA_VERSION),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,80}$/),
  title: z.string(),
  severity: z.enum(['critical', 'major', 'minor']).default('major'),
  tags: z.array(z.string()).default([]),
  createdAt: z.string(),
  source: z.object({
    traceId: hex(32),
    rootSpanId: z.union([hex(16), z.literal('')]),
    startTime: z.string(),
    environment: z.string().default(''),
    /** A compact copy of the source spans (no payloads): provenance, and the console's diff. */
    spans: z.array(CompactSpanSchema).default([]),
  }),
  agent: z.object({
    name: z.string(),
    service: z.string().default(''),
    /** `service.version` of the agent at incident time. */
    release: z.string().default(''),
    protocol: z.enum(['a2a-0.3', 'a2a-1.0', 'http']).default('a2a-1.0'),
  }),
  input: z.object({
    text: z.string(),
    /** A2A message metadata or extra JSON fields (http) sent along with the text. */
    metadata: jsonObject.default({}),
  }),
  observed: z.object({
    trajectory: z.array(CaseStepSchema),
    output: z.string().default(''),
    outcome: RunOutcomeSchema,
    usage: RunUsageSchema.prefault({}),
  }),
  recordings: z
    .object({
      tools: z.array(ToolRecordingSchema).default([]),
      agents: z.array(AgentRecordingSchema).default([]),
      llm: z.array(LlmRecordingSchema).default([]),
    })
    .prefault({}),
  failure: z.object({
    category: FailureCategorySchema,
    summary: z.string(),
    detectedBy: z.string().default('manual'),
    evidenceSpanIds: z.array(hex(16)).default([]),
  }),
  expected: z.object({
    trajectory: z.array(CaseStepSchema),
    match: CaseMatchSchema.prefault({}),
  }),
  assertions: z.array(CaseAssertionSchema).min(1),
  policy: z
    .object({
      runs: z.number().int().min(1).max(50).default(1),
      passRule: PassRuleSchema.default('all'),
      timeoutSeconds: z.number().positive().default(120),
      /** Refuse to score another release (exit 3). The CLI's --expect-release overrides it. */
      expectRelease: z.string().optional(),
    })
    .prefault({}),
  replay: z
    .object({
      /** An MCP call with no recording for its tool and arguments gets an `isError` "unrecorded call" result. */
      onUnmatchedCall: z.enum(['error']).default('error'),
      /** JSON Pointers dropped from arguments before matching a call to its recording. */
      ignorePaths: z.array(z.string()).default([]),
      env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), WorldBindingSchema).default({}),
    })
    .prefault({}),
})
export type RegressionCase = z.infer<typeof RegressionCaseSchema>
export type RegressionCaseInput = z.input<typeof RegressionCaseSchema>
