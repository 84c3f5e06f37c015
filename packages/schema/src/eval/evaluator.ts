/**
 * @module eval/evaluator
 * Online evaluators (`/api/v1/evaluators`): which traces (the explorer's filters, a sampling rate,
 * a delay after the trace ends), which evaluator, which score name. Each evaluated trace leaves a
 * run (input, output, latency, cost) and a score, or a score with an error: never a silent skip.
 */
import { z } from 'zod'
import { ListTracesQuerySchema } from '../api.js'
import { ReferenceIdSchema } from './reference.js'
import { ScoreNameSchema } from './score.js'

/** Filters of the trace list, spelled as its query string (`agent=planner-agent&status=failed`). */
export const TRACE_FILTER_KEYS = [
  'service',
  'release',
  'environment',
  'agent',
  'model',
  'tool',
  'status',
  'tag',
  'regression',
  'sessionId',
  'userId',
  'minCostUsd',
  'minDurationMs',
  'q',
  'score',
] as const
export const TraceFilterSchema = z
  .partialRecord(z.enum(TRACE_FILTER_KEYS), z.string().max(2000))
  .superRefine((filter, ctx) => {
    const parsed = ListTracesQuerySchema.safeParse(filter)
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path })
  })
export type TraceFilter = z.infer<typeof TraceFilterSchema>

/** The ADK/Vertex-style trajectory metrics, each a score in [0, 1]. */
export const TrajectoryMetricSchema = z.enum(['exact', 'in_order', 'any_order', 'precision', 'recall', 'single_tool'])
export type TrajectoryMetric = z.infer<typeof TrajectoryMetricSchema>

export const ReferenceSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reference'), id: ReferenceIdSchema }),
  z.object({ kind: z.literal('case'), caseId: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,80}$/) }),
])
export type ReferenceSource = z.infer<typeof ReferenceSourceSchema>

export const OutcomeCheckSchema = z.enum([
  'exact',
  'contains',
  'regex',
  'json_schema',
  'no_escalation',
  'cost_budget',
  'latency_budget',
  'step_budget',
])
export type OutcomeCheck = z.infer<typeof OutcomeCheckSchema>

export const EvaluatorConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('trajectory'),
      metric: TrajectoryMetricSchema,
      /** Not needed for `single_tool`. */
      reference: ReferenceSourceSchema.optional(),
      /** `single_tool`: the tool that must be used. */
      tool: z.string().min(1).max(200).optional(),
      /** Only this agent's steps ('' = the whole run). */
      scope: z.string().max(200).default(''),
    })
    .strict(),
  z
    .object({
      type: z.literal('outcome'),
      check: OutcomeCheckSchema,
      /** exact / contains / regex: what the final response is compared with. */
      value: z.string().max(4000).optional(),
      caseSensitive: z.boolean().default(false),
      /** json_schema: the schema the final response (as JSON) must satisfy. */
      jsonSchema: z.record(z.string(), z.unknown()).optional(),
      /** Budgets: at most this many USD, milliseconds or steps (model calls + tool calls + delegations). */
      max: z.number().nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('llm_judge'),
      /** The rubric, with {{input}}, {{output}}, {{trajectory}}, {{outcome}} and {{error}} filled from the trace. */
      rubric: z.string().min(10).max(20_000),
      /** The judge answers a score in [scoreMin, scoreMax] (and one of `labels` when given). */
      scoreMin: z.number().default(0),
      scoreMax: z.number().default(1),
      labels: z.array(z.string().min(1).max(100)).max(10).optional(),
      /** Overrides SIGHTLINE_JUDGE_MODEL for this evaluator. */
      model: z.string().max(200).optional(),
      maxOutputTokens: z.number().int().min(16).max(4096).default(400),
      /** Spend cap per UTC day for this evaluator; over it, traces are recorded as skipped. */
      budgetUsdPerDay: z.number().positive().default(5),
    })
    .strict(),
])
export type EvaluatorConfig = z.infer<typeof EvaluatorConfigSchema>

export const EvaluatorIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'evaluator ids are 2-64 lower-case letters, digits, . _ -')

/** `PUT /api/v1/evaluators/{id}`. */
export const PutEvaluatorRequestSchema = z
  .object({
    name: z.string().min(1).max(200),
    scoreName: ScoreNameSchema,
    enabled: z.boolean().default(true),
    filter: TraceFilterSchema.default({}),
    /** Share of matching traces evaluated, decided per trace by a hash (the same trace always gets the same answer). */
    sampleRate: z.number().gt(0).max(1).default(1),
    /** Seconds after a trace ends before it is evaluated (late spans, human feedback first). */
    delaySeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(60),
    /** A score ≥ this passes (pass rates); the score config made for `scoreName` carries it. */
    passThreshold: z.number().default(1),
    config: EvaluatorConfigSchema,
  })
  .strict()
  .superRefine((e, ctx) => {
    const c = e.config
    if (c.type === 'trajectory' && c.metric !== 'single_tool' && !c.reference)
      ctx.addIssue({
        code: 'custom',
        message: 'a trajectory metric needs a reference (a saved reference trajectory or a regression case)',
        path: ['config', 'reference'],
      })
    if (c.type === 'trajectory' && c.metric === 'single_tool' && !c.tool)
      ctx.addIssue({ code: 'custom', message: 'single_tool needs the tool name', path: ['config', 'tool'] })
    if (c.type === 'outcome' && ['exact', 'contains', 'regex'].includes(c.check) && c.value === undefined)
      ctx.addIssue({ code: 'custom', message: `${c.check} needs a value`, path: ['config', 'value'] })
    if (c.type === 'outcome' && c.check === 'regex' && c.value !== undefined) {
      try {
        new RegExp(c.value)
      } catch {
        ctx.addIssue({ code: 'custom', message: 'value is not a valid regular expression', path: ['config', 'value'] })
      }
    }
    if (c.type === 'outcome' && c.check === 'json_schema' && !c.jsonSchema)
      ctx.addIssue({ code: 'custom', message: 'json_schema needs jsonSchema', path: ['config', 'jsonSchema'] })
    if (c.type === 'outcome' && c.check.endsWith('_budget') && c.max === undefined)
      ctx.addIssue({ code: 'custom', message: 'a budget needs max', path: ['config', 'max'] })
    if (c.type === 'llm_judge' && !(c.scoreMin < c.scoreMax))
      ctx.addIssue({ code: 'custom', message: 'scoreMin must be below scoreMax', path: ['config', 'scoreMin'] })
  })
export type PutEvaluatorRequest = z.infer<typeof PutEvaluatorRequestSchema>

export const EvaluatorSchema = z.object({
  id: EvaluatorIdSchema,
  name: z.string(),
  scoreName: z.string(),
  enabled: z.boolean(),
  filter: TraceFilterSchema,
  sampleRate: z.number(),
  delaySeconds: z.number(),
  passThreshold: z.number(),
  config: EvaluatorConfigSchema,
  /** Bumped on every edit: a trace is evaluated once per version. */
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Evaluator = z.infer<typeof EvaluatorSchema>

export const ListEvaluatorsResponseSchema = z.object({
  evaluators: z.array(
    EvaluatorSchema.extend({
      stats: z.object({ runs: z.number(), errors: z.number(), lastRunAt: z.string().nullable(), costUsd: z.number() }),
    }),
  ),
  /** Whether the operator configured a judge endpoint (SIGHTLINE_JUDGE_URL). */
  judgeConfigured: z.boolean(),
})
export type ListEvaluatorsResponse = z.infer<typeof ListEvaluatorsResponseSchema>

export const EvaluatorRunStatusSchema = z.enum(['ok', 'error', 'skipped_budget'])
export const EvaluatorRunSchema = z.object({
  evaluatorId: z.string(),
  evaluatorVersion: z.number(),
  traceId: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  latencyMs: z.number(),
  /** What the judge call cost; null for evaluators that call no model. */
  costUsd: z.number().nullable(),
  status: EvaluatorRunStatusSchema,
  /** What the evaluator was given and what it answered (truncated to 8 KB each). */
  input: z.string(),
  output: z.string(),
  error: z.string(),
  scoreId: z.string(),
  /** The trace of the judge's own model call (in this project, service `sightline-judge`). */
  judgeTraceId: z.string(),
})
export type EvaluatorRun = z.infer<typeof EvaluatorRunSchema>

export const ListEvaluatorRunsQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict()
export const ListEvaluatorRunsResponseSchema = z.object({ runs: z.array(EvaluatorRunSchema) })
export type ListEvaluatorRunsResponse = z.infer<typeof ListEvaluatorRunsResponseSchema>

/** `POST /api/v1/evaluators/{id}/run`: evaluate due traces now (instead of waiting for the scheduler). */
export const RunEvaluatorResponseSchema = z.object({ evaluated: z.number(), skipped: z.number(), errors: z.number() })
export type RunEvaluatorResponse = z.infer<typeof RunEvaluatorResponseSchema>

/** `GET` and `PUT /api/v1/evaluators/{id}`. */
export const EvaluatorResponseSchema = z.object({ evaluator: EvaluatorSchema })
export type EvaluatorResponse = z.infer<typeof EvaluatorResponseSchema>
