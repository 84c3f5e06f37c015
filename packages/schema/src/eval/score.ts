/**
 * @module eval/score
 * Contract of scores (`/api/v1/scores`): a value attached to a trace, a span or a session, with
 * where it came from. Written by the API and the SDK (`api`, `sdk`), reviewers (`human`), online
 * evaluators (`evaluator`), `sightline eval run` (`ci`), and read from OpenTelemetry
 * `gen_ai.evaluation.result` events (`otel`, server only).
 */
import { z } from 'zod'
import { csvOf } from '../query-params.js'

const hex = (length: number) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `expected ${length} hex characters`)
const isoDateTime = z.iso.datetime({ offset: true })

export const ScoreSourceSchema = z.enum(['api', 'sdk', 'human', 'evaluator', 'ci', 'otel'])
export type ScoreSource = z.infer<typeof ScoreSourceSchema>

/** Sources a client may claim; `otel` scores come only from evaluation events. */
export const ClientScoreSourceSchema = ScoreSourceSchema.exclude(['otel'])

export const ScoreDataTypeSchema = z.enum(['numeric', 'boolean', 'categorical'])
export type ScoreDataType = z.infer<typeof ScoreDataTypeSchema>

/** Client-chosen ids make a write idempotent: the same id sent again does not add a score. */
export const ScoreIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,159}$/, 'score ids are 1-160 letters, digits, . _ : @ / -')
export const ScoreNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'score names are 1-128 letters, digits, . _ : / -')

/** A number (numeric), true/false (boolean) or a label (categorical). */
export const ScoreValueSchema = z.union([
  z.number().refine(Number.isFinite, 'must be a finite number'),
  z.boolean(),
  z.string().min(1).max(200),
])
export type ScoreValue = z.infer<typeof ScoreValueSchema>

/** One score to write. `value` may be left out only by an evaluation that failed (`error`). */
export const ScoreInputSchema = z
  .object({
    id: ScoreIdSchema.optional(),
    traceId: hex(32).optional(),
    spanId: hex(16).optional(),
    sessionId: z.string().min(1).max(512).optional(),
    name: ScoreNameSchema,
    value: ScoreValueSchema.optional(),
    /** A human-readable label next to a numeric value (e.g. `relevant` for 1). */
    label: z.string().min(1).max(200).optional(),
    /** Checked against the value when given; inferred from it otherwise. */
    dataType: ScoreDataTypeSchema.optional(),
    source: ClientScoreSourceSchema.default('api'),
    comment: z.string().max(4000).default(''),
    /** Who scored: the reviewer for `human` (required there), else free text. */
    author: z.string().max(128).default(''),
    evaluator: z.string().max(128).default(''),
    evaluatorVersion: z.string().max(64).default(''),
    /** The release of what was scored; read from the trace when left out. */
    release: z.string().max(200).optional(),
    /** Why the evaluation failed; such a score has no value and is shown as an error. */
    error: z.string().min(1).max(4000).optional(),
    /** The review queue a human score was given in. */
    queueId: z.string().max(80).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!s.traceId && !s.sessionId)
      ctx.addIssue({ code: 'custom', message: 'give traceId (optionally with spanId) or sessionId', path: ['traceId'] })
    if (s.spanId && !s.traceId) ctx.addIssue({ code: 'custom', message: 'spanId needs its traceId', path: ['spanId'] })
    if (s.value === undefined && s.error === undefined)
      ctx.addIssue({ code: 'custom', message: 'give a value (or an error for a failed evaluation)', path: ['value'] })
    if (s.value !== undefined && s.error !== undefined)
      ctx.addIssue({ code: 'custom', message: 'a score has a value or an error, not both', path: ['error'] })
    if (s.source === 'human' && !s.author.trim())
      ctx.addIssue({ code: 'custom', message: 'human scores name their author', path: ['author'] })
    if (s.label !== undefined && typeof s.value !== 'number')
      ctx.addIssue({
        code: 'custom',
        message: 'a label goes with a numeric value (a categorical value is its own label)',
        path: ['label'],
      })
  })
export type ScoreInput = z.input<typeof ScoreInputSchema>
export type ParsedScoreInput = z.output<typeof ScoreInputSchema>

/** `POST /api/v1/scores`: all or nothing; a batch with one bad score stores none and says which. */
export const PostScoresRequestSchema = z.object({ scores: z.array(z.unknown()).min(1).max(1000) }).strict()

export const ScoreWriteStatusSchema = z.enum(['created', 'updated', 'unchanged'])
export const PostScoresResponseSchema = z.object({
  scores: z.array(z.object({ id: z.string(), status: ScoreWriteStatusSchema })),
})
export type PostScoresResponse = z.infer<typeof PostScoresResponseSchema>

/** A stored score. */
export const ScoreSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  sessionId: z.string(),
  name: z.string(),
  dataType: ScoreDataTypeSchema,
  /** null for a failed evaluation (see `error`). */
  value: z.union([z.number(), z.boolean(), z.string()]).nullable(),
  label: z.string(),
  source: ScoreSourceSchema,
  comment: z.string(),
  author: z.string(),
  evaluator: z.string(),
  evaluatorVersion: z.string(),
  error: z.string(),
  release: z.string(),
  agent: z.string(),
  models: z.array(z.string()),
  queueId: z.string(),
  /** When the scored trace started (a session score: when it was given). */
  time: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
})
export type Score = z.infer<typeof ScoreSchema>

const csv = csvOf(z.string().max(200), 50)

/** `GET /api/v1/scores`: by target, name, source and time range (on `time`), newest first. */
export const ListScoresQuerySchema = z
  .object({
    traceId: hex(32).optional(),
    spanId: hex(16).optional(),
    sessionId: z.string().min(1).max(512).optional(),
    name: csv.optional(),
    source: csv.pipe(z.array(ScoreSourceSchema)).optional(),
    release: z.string().max(200).optional(),
    queueId: z.string().max(80).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict()
export type ListScoresQuery = z.infer<typeof ListScoresQuerySchema>

export const ListScoresResponseSchema = z.object({ scores: z.array(ScoreSchema) })
export type ListScoresResponse = z.infer<typeof ListScoresResponseSchema>

/** `PUT /api/v1/scores/{id}`: a reviewer changes their own human score (the old version stays in the history). */
export const UpdateScoreRequestSchema = z
  .object({
    value: ScoreValueSchema,
    label: z.string().min(1).max(200).optional(),
    comment: z.string().max(4000).default(''),
    author: z.string().min(1).max(128),
  })
  .strict()
export type UpdateScoreRequest = z.infer<typeof UpdateScoreRequestSchema>

/** `DELETE /api/v1/scores/{id}?author=`: only a human score, only by its author. */
export const DeleteScoreQuerySchema = z.object({ author: z.string().min(1).max(128) }).strict()

export const ScoreVersionSchema = z.object({
  version: z.number(),
  value: z.union([z.number(), z.boolean(), z.string()]).nullable(),
  label: z.string(),
  comment: z.string(),
  author: z.string(),
  error: z.string(),
  isDeleted: z.boolean(),
  changedAt: z.string(),
})
export const ScoreHistoryResponseSchema = z.object({ id: z.string(), versions: z.array(ScoreVersionSchema) })
export type ScoreHistoryResponse = z.infer<typeof ScoreHistoryResponseSchema>

/** `GET /api/v1/scores/summary?traceIds=`: per trace, per score name, what the list column shows. */
export const ScoreSummaryQuerySchema = z.object({ traceIds: csv.pipe(z.array(hex(32)).min(1).max(500)) }).strict()

export const ScoreBriefSchema = z.object({
  name: z.string(),
  /** Scores of this name on the trace or its spans (errors included). */
  count: z.number(),
  /** Mean of the numeric and boolean values (true = 1); null when none. */
  mean: z.number().nullable(),
  /** The most frequent label of categorical scores ('' when none). */
  label: z.string(),
  errors: z.number(),
  sources: z.array(ScoreSourceSchema),
})
export type ScoreBrief = z.infer<typeof ScoreBriefSchema>

export const ScoreSummaryResponseSchema = z.object({ traces: z.record(z.string(), z.array(ScoreBriefSchema)) })
export type ScoreSummaryResponse = z.infer<typeof ScoreSummaryResponseSchema>

/**
 * The trace list's score filter, `score=<name>[<op><value>]`: `user_feedback=false`,
 * `trajectory_precision<0.5`, `judge:helpful>=0.8`, `tone=rude` (a label), or a bare name (has a
 * score of that name). Numbers and true/false compare numerically, anything else as a label.
 */
export const ScoreFilterSchema = z
  .string()
  .max(300)
  .transform((text, ctx) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9._:/-]{0,127})(?:(>=|<=|!=|=|>|<)(.{1,200}))?$/.exec(text.trim())
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'expected <name>[<op><value>] with op one of = != > >= < <=' })
      return z.NEVER
    }
    const [, name = '', op, raw] = match
    if (op === undefined || raw === undefined) return { name, op: 'has' as const }
    const numeric = raw === 'true' ? 1 : raw === 'false' ? 0 : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : undefined
    if (numeric === undefined && op !== '=' && op !== '!=') {
      ctx.addIssue({ code: 'custom', message: `${op} compares numbers: ${raw} is not one` })
      return z.NEVER
    }
    return {
      name,
      op: op as '=' | '!=' | '>' | '>=' | '<' | '<=',
      ...(numeric === undefined ? { label: raw } : { number: numeric }),
    }
  })
export type ScoreFilter = z.output<typeof ScoreFilterSchema>
