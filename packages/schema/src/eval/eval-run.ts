/**
 * @module eval/eval-run
 * The evaluation gate's report (`sightline eval run` → `POST /api/v1/eval-runs`): a suite run
 * against one release, its metrics with 95 % intervals, the thresholds and the comparison with the
 * last accepted release, and the verdict (exit code 0 pass, 1 regression, 2 harness error, 3
 * unverifiable). The per-run metric values are `ci` scores on each run's trace.
 */
import { z } from 'zod'
import { RunVerdictSchema, SuiteNameSchema } from '../regression/api.js'

const isoDateTime = z.iso.datetime({ offset: true })

/** The metrics a suite run computes per case run (each in [0, 1]). */
export const GateMetricSchema = z.enum([
  'pass_rate',
  'trajectory_exact',
  'trajectory_in_order',
  'trajectory_any_order',
  'trajectory_precision',
  'trajectory_recall',
  'final_match',
])
export type GateMetric = z.infer<typeof GateMetricSchema>

export const MetricEstimateSchema = z.object({
  metric: GateMetricSchema,
  /** Case runs the metric was measured on. */
  n: z.number(),
  mean: z.number().nullable(),
  /** Sample standard deviation (n − 1), for comparing with another run. */
  sd: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  method: z.string(),
})
export type MetricEstimate = z.infer<typeof MetricEstimateSchema>

export const ThresholdResultSchema = z.object({
  metric: GateMetricSchema,
  op: z.enum(['>=', '>', '<=', '<']),
  value: z.number(),
  actual: z.number().nullable(),
  passed: z.boolean(),
})
export type ThresholdResult = z.infer<typeof ThresholdResultSchema>

export const BaselineComparisonSchema = z.object({
  metric: GateMetricSchema,
  baseline: z.number().nullable(),
  current: z.number().nullable(),
  /** current − baseline with its 95 % CI and two-sided p-value. */
  diff: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  pValue: z.number().nullable(),
  method: z.string(),
  /** Significantly worse than the accepted release (p < 0.05 and the interval below 0). */
  regressed: z.boolean(),
})
export type BaselineComparison = z.infer<typeof BaselineComparisonSchema>

export const EvalCaseResultSchema = z.object({
  caseId: z.string(),
  verdict: RunVerdictSchema,
  runs: z.number(),
  passed: z.number(),
  /** Each run's trace id (its `ci` scores are attached there). */
  traceIds: z.array(z.string()),
  problem: z.string().default(''),
})
export type EvalCaseResult = z.infer<typeof EvalCaseResultSchema>

export const EvalRunReportSchema = z
  .object({
    runId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    suite: SuiteNameSchema,
    release: z.string().max(200),
    verdict: RunVerdictSchema,
    exitCode: z.number().int().min(0).max(3),
    startedAt: isoDateTime,
    finishedAt: isoDateTime,
    metrics: z.array(MetricEstimateSchema),
    thresholds: z.array(ThresholdResultSchema),
    baseline: z
      .object({ release: z.string(), runId: z.string(), comparisons: z.array(BaselineComparisonSchema) })
      .nullable(),
    cases: z.array(EvalCaseResultSchema),
    /** One line: "trajectory_in_order 0.96 (0.91–0.99), gate passed". */
    summary: z.string().max(4000),
  })
  .strict()
export type EvalRunReport = z.infer<typeof EvalRunReportSchema>

export const EvalRunSchema = EvalRunReportSchema.extend({ reportedAt: z.string() })
export type EvalRun = z.infer<typeof EvalRunSchema>

export const ListEvalRunsQuerySchema = z
  .object({
    suite: SuiteNameSchema.optional(),
    release: z.string().max(200).optional(),
    /** Only runs whose gate passed (the "last accepted release"). */
    verdict: RunVerdictSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict()
export const ListEvalRunsResponseSchema = z.object({ runs: z.array(EvalRunSchema) })
export type ListEvalRunsResponse = z.infer<typeof ListEvalRunsResponseSchema>
