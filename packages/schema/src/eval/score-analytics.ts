/**
 * @module eval/score-analytics
 * Scores where people look (`/api/v1/analytics/scores/...`): series of a score's mean or pass rate
 * over time by release, agent or model, and scores per release with 95 % intervals and the test
 * that compares two releases. Production scores and `ci` scores are reported apart.
 */
import { z } from 'zod'
import { AnalyticsStepSchema, RateEstimateSchema, ReleaseDiffSchema } from '../analytics.js'
import { EvalRunSchema } from './eval-run.js'
import { ScoreNameSchema } from './score.js'

const isoDateTime = z.iso.datetime({ offset: true })

export const ScoreMetricSchema = z.enum(['mean', 'pass_rate', 'count'])
export type ScoreMetric = z.infer<typeof ScoreMetricSchema>
export const ScoreDimensionSchema = z.enum(['total', 'release', 'agent', 'model', 'source'])
export type ScoreDimension = z.infer<typeof ScoreDimensionSchema>
/** `production`: every source but `ci`; `ci`: evaluation-gate runs only. */
export const ScorePopulationSchema = z.enum(['production', 'ci', 'all'])

export const ScoreSeriesQuerySchema = z
  .object({
    name: ScoreNameSchema,
    metric: ScoreMetricSchema.default('mean'),
    dimension: ScoreDimensionSchema.default('total'),
    population: ScorePopulationSchema.default('production'),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    step: AnalyticsStepSchema.default('1h'),
    top: z.coerce.number().int().min(1).max(20).default(8),
  })
  .strict()
export type ScoreSeriesQuery = z.infer<typeof ScoreSeriesQuerySchema>

export const ScoreSeriesResponseSchema = z.object({
  name: z.string(),
  metric: ScoreMetricSchema,
  dimension: ScoreDimensionSchema,
  step: AnalyticsStepSchema,
  from: z.string(),
  to: z.string(),
  /** Why a pass rate is missing: the score has no pass rule (see score configs). */
  passRule: z.string().nullable(),
  series: z.array(
    z.object({
      key: z.string(),
      n: z.number(),
      total: z.number().nullable(),
      points: z.array(z.object({ t: z.string(), value: z.number().nullable(), n: z.number() })),
    }),
  ),
})
export type ScoreSeriesResponse = z.infer<typeof ScoreSeriesResponseSchema>

/** One score of one release: mean with a Student-t interval, pass rate with a Wilson interval. */
export const ReleaseScoreSchema = z.object({
  name: z.string(),
  population: z.enum(['production', 'ci']),
  n: z.number(),
  errors: z.number(),
  mean: z.object({ estimate: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable() }),
  passRate: RateEstimateSchema.nullable(),
})
export type ReleaseScore = z.infer<typeof ReleaseScoreSchema>

export const ReleaseScoresQuerySchema = z
  .object({
    release: z.string().max(200).optional(),
    name: z.string().max(2000).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .strict()

export const ReleaseScoresResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  releases: z.array(
    z.object({
      release: z.string(),
      scores: z.array(ReleaseScoreSchema),
      /** The latest evaluation-gate run per suite on this release. */
      evalRuns: z.array(EvalRunSchema),
    }),
  ),
  methods: z.object({ mean: z.string(), passRate: z.string() }),
})
export type ReleaseScoresResponse = z.infer<typeof ReleaseScoresResponseSchema>

export const CompareReleaseScoresQuerySchema = z
  .object({
    a: z.string().min(1).max(200),
    b: z.string().min(1).max(200),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .strict()

export const CompareReleaseScoresResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  a: z.string(),
  b: z.string(),
  scores: z.array(
    z.object({
      name: z.string(),
      population: z.enum(['production', 'ci']),
      a: ReleaseScoreSchema.nullable(),
      b: ReleaseScoreSchema.nullable(),
      /** b − a of the means (Welch's t-test) and of the pass rates (two-proportion z-test). */
      meanDiff: ReleaseDiffSchema,
      passRateDiff: ReleaseDiffSchema.nullable(),
    }),
  ),
  evalRuns: z.object({ a: z.array(EvalRunSchema), b: z.array(EvalRunSchema) }),
})
export type CompareReleaseScoresResponse = z.infer<typeof CompareReleaseScoresResponseSchema>
