/**
 * @module eval/review
 * Human review (`/api/v1/review-queues`): a queue of traces fixed when it is built (from an
 * explorer filter or an anomaly's traces), scored trace by trace against the project's score
 * configs. A review is a set of human scores carrying the queue's id, one per score name, so
 * reviewing again edits them (with history). Progress and agreement between reviewers come with it.
 */
import { z } from 'zod'
import { TraceOutcomeSchema } from '../trace.js'
import { PostScoresResponseSchema, ScoreNameSchema, ScoreValueSchema } from './score.js'
import { TraceFilterSchema } from './evaluator.js'

const isoDateTime = z.iso.datetime({ offset: true })
export const QueueIdSchema = z.string().regex(/^rq-[a-z0-9]{6,40}$/, 'queue ids look like rq-…')

export const CreateReviewQueueRequestSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** The explorer's filters and range: the queue takes the matching traces, newest first. */
    filter: TraceFilterSchema.optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    /** Or the traces behind an anomaly. */
    anomalyId: z.string().min(1).max(64).optional(),
    /** The score configs the reviewer fills in (each must exist). */
    scoreNames: z.array(ScoreNameSchema).min(1).max(9),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.filter === undefined) === (r.anomalyId === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'build a queue from a filter or from an anomaly (one of them)',
        path: ['filter'],
      })
  })
export type CreateReviewQueueRequest = z.input<typeof CreateReviewQueueRequestSchema>

export const ReviewQueueSchema = z.object({
  id: QueueIdSchema,
  name: z.string(),
  source: z.enum(['filter', 'anomaly']),
  filter: TraceFilterSchema,
  from: z.string(),
  to: z.string(),
  anomalyId: z.string(),
  scoreNames: z.array(z.string()),
  createdAt: z.string(),
  itemCount: z.number(),
})
export type ReviewQueue = z.infer<typeof ReviewQueueSchema>

export const ReviewSchema = z.object({
  author: z.string(),
  /** Score name → value given. */
  scores: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  comment: z.string(),
  reviewedAt: z.string(),
})
export type Review = z.infer<typeof ReviewSchema>

export const ReviewItemSchema = z.object({
  position: z.number(),
  traceId: z.string(),
  name: z.string(),
  outcome: TraceOutcomeSchema.nullable(),
  failureReason: z.string(),
  startTime: z.string(),
  reviews: z.array(ReviewSchema),
})
export type ReviewItem = z.infer<typeof ReviewItemSchema>

/** How much reviewers agree on one score name, over the items two or more of them reviewed. */
export const AgreementSchema = z.object({
  scoreName: z.string(),
  /** Items with two or more reviews of this score. */
  items: z.number(),
  /** Reviewer pairs compared (over those items). */
  pairs: z.number(),
  /** Share of pairs that gave the same value. */
  percentAgreement: z.number().nullable(),
  /** Cohen's kappa averaged over reviewer pairs (boolean and categorical scores); null when undefined. */
  kappa: z.number().nullable(),
  /** Mean absolute difference between two reviewers' values (numeric scores). */
  meanAbsDiff: z.number().nullable(),
  method: z.string(),
})
export type Agreement = z.infer<typeof AgreementSchema>

export const ReviewQueueDetailSchema = z.object({
  queue: ReviewQueueSchema,
  items: z.array(ReviewItemSchema),
  progress: z.object({
    total: z.number(),
    /** Items with at least one review. */
    reviewed: z.number(),
    byReviewer: z.array(z.object({ author: z.string(), reviewed: z.number() })),
  }),
  agreement: z.array(AgreementSchema),
})
export type ReviewQueueDetail = z.infer<typeof ReviewQueueDetailSchema>

export const ListReviewQueuesResponseSchema = z.object({
  queues: z.array(ReviewQueueSchema.extend({ reviewed: z.number() })),
})
export type ListReviewQueuesResponse = z.infer<typeof ListReviewQueuesResponseSchema>

/** `PUT /api/v1/review-queues/{id}/items/{position}/review`: one reviewer's scores for one trace. */
export const SubmitReviewRequestSchema = z
  .object({
    author: z.string().min(1).max(128),
    scores: z
      .array(z.object({ name: ScoreNameSchema, value: ScoreValueSchema }).strict())
      .min(1)
      .max(9),
    comment: z.string().max(4000).default(''),
  })
  .strict()
export type SubmitReviewRequest = z.input<typeof SubmitReviewRequestSchema>

/** `POST /api/v1/review-queues`. */
export const CreateReviewQueueResponseSchema = z.object({ queue: ReviewQueueSchema })
export type CreateReviewQueueResponse = z.infer<typeof CreateReviewQueueResponseSchema>

/** `PUT /api/v1/review-queues/{id}/items/{position}/review`: the reviewer's scores, written like any others. */
export const SubmitReviewResponseSchema = PostScoresResponseSchema
export type SubmitReviewResponse = z.infer<typeof SubmitReviewResponseSchema>
