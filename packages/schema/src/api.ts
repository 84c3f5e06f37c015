import { z } from 'zod'
import { csvOf, splitCsv } from './query-params.js'
import { SpanSchema } from './span.js'
import { TraceDetailSchema, TraceOutcomeSchema, TraceSummarySchema, TraceTagSchema } from './trace.js'
import { ScoreFilterSchema } from './eval/score.js'

/** Error envelope of the query API. */
export const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) })
export type ApiError = z.infer<typeof ApiErrorSchema>

export const TraceSortSchema = z.enum(['startTime', 'durationMs', 'costUsd', 'spanCount', 'errorCount', 'totalTokens'])
export type TraceSort = z.infer<typeof TraceSortSchema>

const isoDateTime = z.iso.datetime({ offset: true })
const csv = csvOf(z.string().max(512), 50)

/** `GET /api/v1/traces` query string. Multi-valued filters are comma-separated (any of them matches). */
export const ListTracesQuerySchema = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    service: csv.optional(),
    release: csv.optional(),
    environment: csv.optional(),
    agent: csv.optional(),
    model: csv.optional(),
    tool: csv.optional(),
    /** Trace outcomes, any of (`error` is the older spelling of `failed`). */
    status: z
      .string()
      .transform((value) => splitCsv(value).map((v) => (v === 'error' ? 'failed' : v)))
      .pipe(z.array(TraceOutcomeSchema).max(4))
      .optional(),
    /** Story tags, any of. */
    tag: csvOf(TraceTagSchema, 5).optional(),
    /** `true`: only regression-runner traffic; `false` (default for lists): production only; `all`: both. */
    regression: z.enum(['true', 'false', 'all']).optional(),
    sessionId: z.string().max(512).optional(),
    userId: z.string().max(512).optional(),
    minCostUsd: z.coerce.number().nonnegative().optional(),
    minDurationMs: z.coerce.number().nonnegative().optional(),
    /** Case-insensitive text search over span names, inputs, outputs, tool arguments and results. */
    q: z.string().min(1).max(200).optional(),
    /** Traces with a score matching `<name>[<op><value>]` (see ScoreFilterSchema). */
    score: ScoreFilterSchema.optional(),
    sort: TraceSortSchema.default('startTime'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(1024).optional(),
  })
  .strict()
export type ListTracesQuery = z.infer<typeof ListTracesQuerySchema>

export const ListTracesResponseSchema = z.object({
  traces: z.array(TraceSummarySchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  from: z.string(),
  to: z.string(),
})
export type ListTracesResponse = z.infer<typeof ListTracesResponseSchema>

export const GetTraceResponseSchema = TraceDetailSchema
export type GetTraceResponse = z.infer<typeof GetTraceResponseSchema>

export const TraceIdParamSchema = z.string().regex(/^[0-9a-fA-F]{32}$/, 'trace ids are 32 hex characters')

export const SpanIdParamSchema = z.string().regex(/^[0-9a-fA-F]{16}$/, 'span ids are 16 hex characters')

/**
 * `view=skeleton` leaves out message text, payloads, attributes and events (empty values), for
 * timelines of huge traces; fetch one span in full with `GET /api/v1/traces/{id}/spans/{spanId}`.
 */
export const TraceViewQuerySchema = z.object({ view: z.enum(['full', 'skeleton']).default('full') }).strict()

export const GetSpanResponseSchema = z.object({ span: SpanSchema })
export type GetSpanResponse = z.infer<typeof GetSpanResponseSchema>

export const FacetsQuerySchema = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }).strict()

/** Distinct values seen in a time range, for filter pickers. */
export const FacetsResponseSchema = z.object({
  services: z.array(z.string()),
  releases: z.array(z.string()),
  environments: z.array(z.string()),
  agents: z.array(z.string()),
  models: z.array(z.string()),
  tools: z.array(z.string()),
})
export type FacetsResponse = z.infer<typeof FacetsResponseSchema>
