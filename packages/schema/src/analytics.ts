/**
 * Analytics API contract (`/api/v1/analytics/...`): cost, tokens, counts, error rates and latency
 * over time, read from the 5-minute rollups (`agg_5m`), plus release comparison from raw spans.
 *
 * Ranges are half-open `[from, to)`, aligned outwards to the step (UTC) and echoed in responses.
 * "Calls" and latency are measured over each dimension's subject spans: model → LLM calls,
 * tool → tool calls, agent → the agent's own agent spans, total/release/user/environment → root
 * spans (trace latency, failed traces).
 */
import { z } from 'zod'

const isoDateTime = z.iso.datetime({ offset: true })

export const AnalyticsMetricSchema = z.enum([
  'cost',
  'tokens',
  'calls',
  'errors',
  'error_rate',
  'tool_error_rate',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'traces',
])
export type AnalyticsMetric = z.infer<typeof AnalyticsMetricSchema>

export const AnalyticsDimensionSchema = z.enum([
  'total',
  'model',
  'agent',
  'tool',
  'user',
  'service',
  'release',
  'environment',
])
export type AnalyticsDimension = z.infer<typeof AnalyticsDimensionSchema>

export const AnalyticsStepSchema = z.enum(['5m', '1h', '1d'])
export type AnalyticsStep = z.infer<typeof AnalyticsStepSchema>

/** `total` = input + output (input already includes cached input and cache writes). */
export const TokenKindSchema = z.enum(['total', 'input', 'output', 'cached_input', 'cache_write', 'reasoning'])
export type TokenKind = z.infer<typeof TokenKindSchema>

/** Most points one series request may return (e.g. 7 days at 5 minutes = 2016). */
export const MAX_SERIES_POINTS = 2100

export const AnalyticsRangeQuerySchema = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }).strict()

/** `GET /api/v1/analytics/series`. Defaults: last 24 h, step 1h, top 10. */
export const SeriesQuerySchema = z
  .object({
    metric: AnalyticsMetricSchema,
    dimension: AnalyticsDimensionSchema.default('total'),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    step: AnalyticsStepSchema.default('1h'),
    /**
     * Series kept per dimension value, ranked by the metric's total (rates and latency: by calls); the rest is one
     * "other" series.
     */
    top: z.coerce.number().int().min(1).max(50).default(10),
    /** Only for metric=tokens. */
    tokenKind: TokenKindSchema.default('total'),
  })
  .strict()
export type SeriesQuery = z.infer<typeof SeriesQuerySchema>

/** One point per step, zero-filled; `value` is null only where a ratio or quantile has no calls. */
export const SeriesPointSchema = z.object({ t: z.string(), value: z.number().nullable() })
export type SeriesPoint = z.infer<typeof SeriesPointSchema>

export const SeriesSchema = z.object({
  /** Dimension value ('' for the project total and for "other"). */
  key: z.string(),
  isOther: z.boolean(),
  /** The metric over the whole range (same aggregation as the points). */
  total: z.number().nullable(),
  points: z.array(SeriesPointSchema),
})
export type Series = z.infer<typeof SeriesSchema>

export const SeriesResponseSchema = z.object({
  metric: AnalyticsMetricSchema,
  dimension: AnalyticsDimensionSchema,
  step: AnalyticsStepSchema,
  tokenKind: TokenKindSchema.nullable(),
  from: z.string(),
  to: z.string(),
  /** 'rollup' (agg_5m) or 'raw' (spans; cost by a non-model dimension when the project has price overrides). */
  source: z.enum(['rollup', 'raw']),
  series: z.array(SeriesSchema),
})
export type SeriesResponse = z.infer<typeof SeriesResponseSchema>

export const TokenTotalsSchema = z.object({
  input: z.number(),
  output: z.number(),
  cachedInput: z.number(),
  cacheWrite: z.number(),
  reasoning: z.number(),
})
export type TokenTotals = z.infer<typeof TokenTotalsSchema>

export const OverviewTotalsSchema = z.object({
  from: z.string(),
  to: z.string(),
  costUsd: z.number(),
  traces: z.number(),
  llmCalls: z.number(),
  toolCalls: z.number(),
  /** Failed traces / finished traces (outcome `failed`; running traces have no outcome yet). */
  errorRate: z.number().nullable(),
  /** Traces that recovered from a failure inside / finished traces. */
  recoveredRate: z.number().nullable(),
  failedTraces: z.number(),
  toolErrorRate: z.number().nullable(),
  /** Trace latency (first span start to last span end) of finished traces, from log-bucket histograms (±1 %). */
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  tokens: TokenTotalsSchema,
  unpricedCalls: z.number(),
})
export type OverviewTotals = z.infer<typeof OverviewTotalsSchema>

/** `GET /api/v1/analytics/overview`: the range and the previous range of equal length, for deltas. */
export const OverviewResponseSchema = z.object({ current: OverviewTotalsSchema, previous: OverviewTotalsSchema })
export type OverviewResponse = z.infer<typeof OverviewResponseSchema>

export const TopEntitySchema = z.enum(['trace', 'agent', 'model', 'user'])
export const TopQuerySchema = z
  .object({
    by: z.enum(['cost', 'tokens', 'calls', 'errors']).default('cost'),
    entity: TopEntitySchema,
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict()
export type TopQuery = z.infer<typeof TopQuerySchema>

export const TopRowSchema = z.object({
  /** Trace id, agent name, model or user id. */
  key: z.string(),
  /** Trace name for traces; equal to key otherwise. */
  label: z.string(),
  costUsd: z.number(),
  tokens: z.number(),
  /** LLM calls for model, subject calls otherwise (agent invocations, traces of a user); spans for a trace. */
  calls: z.number(),
  errors: z.number(),
  traces: z.number(),
})
export type TopRow = z.infer<typeof TopRowSchema>

export const TopResponseSchema = z.object({
  entity: TopEntitySchema,
  by: z.enum(['cost', 'tokens', 'calls', 'errors']),
  from: z.string(),
  to: z.string(),
  source: z.enum(['rollup', 'raw']),
  rows: z.array(TopRowSchema),
})
export type TopResponse = z.infer<typeof TopResponseSchema>

export const UnpricedModelSchema = z.object({
  model: z.string(),
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
})
export const UnpricedModelsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  models: z.array(UnpricedModelSchema),
})
export type UnpricedModelsResponse = z.infer<typeof UnpricedModelsResponseSchema>

/** `GET /api/v1/analytics/releases/compare`. Defaults: last 7 days. */
export const CompareReleasesQuerySchema = z
  .object({
    a: z.string().min(1).max(256),
    b: z.string().min(1).max(256),
    agent: z.string().min(1).max(256).optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .strict()
export type CompareReleasesQuery = z.infer<typeof CompareReleasesQuerySchema>

const Interval = z.object({
  estimate: z.number().nullable(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
})
export const RateEstimateSchema = Interval.extend({ successes: z.number(), n: z.number() })

export const ReleaseStatsSchema = z.object({
  release: z.string(),
  traces: z.number(),
  costPerTrace: Interval,
  latencyMs: z.object({
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
    geoMean: z.number().nullable(),
  }),
  errorRate: RateEstimateSchema,
  toolErrorRate: RateEstimateSchema,
})
export type ReleaseStats = z.infer<typeof ReleaseStatsSchema>

/** b − a (or b / a for `latencyGeoMeanRatio`) with a 95 % CI and a two-sided p-value. */
export const ReleaseDiffSchema = Interval.extend({ pValue: z.number().nullable(), method: z.string() })
export type ReleaseDiff = z.infer<typeof ReleaseDiffSchema>

export const CompareReleasesResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  agent: z.string().nullable(),
  a: ReleaseStatsSchema,
  b: ReleaseStatsSchema,
  diff: z.object({
    costPerTrace: ReleaseDiffSchema,
    latencyGeoMeanRatio: ReleaseDiffSchema,
    latencyP50: ReleaseDiffSchema,
    latencyP95: ReleaseDiffSchema,
    latencyP99: ReleaseDiffSchema,
    errorRate: ReleaseDiffSchema,
    toolErrorRate: ReleaseDiffSchema,
  }),
  /** How each release's own figures were estimated. */
  methods: z.object({ costPerTrace: z.string(), latency: z.string(), rates: z.string(), population: z.string() }),
})
export type CompareReleasesResponse = z.infer<typeof CompareReleasesResponseSchema>
