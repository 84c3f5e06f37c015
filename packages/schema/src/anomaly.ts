import { z } from 'zod'
import { csvOf } from './query-params.js'

/**
 * Anomalies (`/api/v1/anomalies`) and alert webhooks (`/api/v1/alerts/webhooks`).
 *
 * An anomaly is one finding of the detector: series anomalies (`spike`, `level_shift`) are about a
 * metric of one dimension value over time; trajectory anomalies are about single traces
 * (`dimension: 'trace'`, `value`: the agent or tool). Findings are grouped into incidents
 * (incident.ts), which are what the feed shows and what alerts are sent for.
 */
export const AnomalyKindSchema = z.enum([
  'spike',
  'level_shift',
  'tool_loop',
  'step_explosion',
  'trace_cost',
  'tool_error_burst',
  'unfinished_agent',
  'score_drop',
])
export type AnomalyKind = z.infer<typeof AnomalyKindSchema>

export const AnomalyStatusSchema = z.enum(['open', 'resolved'])
export type AnomalyStatus = z.infer<typeof AnomalyStatusSchema>

export const AnomalyDimensionSchema = z.enum([
  'total',
  'model',
  'agent',
  'tool',
  'user',
  'service',
  'release',
  'environment',
  'trace',
  'score',
])
export type AnomalyDimension = z.infer<typeof AnomalyDimensionSchema>

export const AnomalyMetricSchema = z.enum([
  'cost',
  'tokens',
  'latency_p95',
  'error_rate',
  'repeated_calls',
  'spans_per_trace',
  'trace_cost',
  'trace_tokens',
  'tool_errors',
  'minutes_unfinished',
  'score_pass_rate',
  'score_mean',
])
export type AnomalyMetric = z.infer<typeof AnomalyMetricSchema>

export const AnomalySchema = z.object({
  id: z.string(),
  kind: AnomalyKindSchema,
  dimension: AnomalyDimensionSchema,
  /** The dimension value (model name, agent, tool, user, release, environment; '' for total). */
  value: z.string(),
  metric: AnomalyMetricSchema,
  status: AnomalyStatusSchema,
  severity: z.enum(['warning', 'critical']),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  endedAt: z.string().nullable(),
  /** How far from normal: the observed value, what the baseline expected, and the score (robust z, ratio or count). */
  observed: z.number(),
  expected: z.number(),
  score: z.number(),
  /** A sample of the traces behind the anomaly (at most 10). */
  traceIds: z.array(z.string()),
  summary: z.string(),
  /** The incident it was grouped into ('' for findings from before incidents). */
  incidentId: z.string(),
})
export type Anomaly = z.infer<typeof AnomalySchema>

const isoDateTime = z.iso.datetime({ offset: true })
const kindCsv = csvOf(AnomalyKindSchema, 20)

/**
 * `GET /api/v1/anomalies`. `from`/`to` select anomalies active in the range (chart markers:
 * add `dimension` and `value`). Default range: the last 7 days.
 */
export const ListAnomaliesQuerySchema = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    kind: kindCsv.optional(),
    status: AnomalyStatusSchema.optional(),
    dimension: AnomalyDimensionSchema.optional(),
    value: z.string().max(512).optional(),
    metric: AnomalyMetricSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
export type ListAnomaliesQuery = z.infer<typeof ListAnomaliesQuerySchema>

export const ListAnomaliesResponseSchema = z.object({
  anomalies: z.array(AnomalySchema),
  from: z.string(),
  to: z.string(),
})
export type ListAnomaliesResponse = z.infer<typeof ListAnomaliesResponseSchema>

export const GetAnomalyResponseSchema = z.object({ anomaly: AnomalySchema })
export type GetAnomalyResponse = z.infer<typeof GetAnomalyResponseSchema>

export const WebhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .refine((url) => !/\/\/[^/]*@/.test(url), 'must not embed credentials in the URL')

export const PutWebhookRequestSchema = z.object({ url: WebhookUrlSchema }).strict()
export type PutWebhookRequest = z.infer<typeof PutWebhookRequestSchema>

/**
 * A webhook as listed: never its secret. `signed: false` marks a webhook created before signing
 * existed; its deliveries carry no signature until its secret is rotated.
 */
export const WebhookSchema = z.object({ id: z.string(), url: z.string(), createdAt: z.string(), signed: z.boolean() })
export type Webhook = z.infer<typeof WebhookSchema>

/**
 * `PUT /api/v1/alerts/webhooks`. `secret` (the HMAC key of the signature headers) is returned
 * once, when the webhook is created; a URL that is already registered comes back without it.
 */
export const PutWebhookResponseSchema = z.object({ webhook: WebhookSchema, secret: z.string().optional() })
export type PutWebhookResponse = z.infer<typeof PutWebhookResponseSchema>

/** `POST /api/v1/alerts/webhooks/:id/rotate-secret`: the new secret, shown once; the old one stops working. */
export const RotateWebhookSecretResponseSchema = z.object({ webhook: WebhookSchema, secret: z.string() })
export type RotateWebhookSecretResponse = z.infer<typeof RotateWebhookSecretResponseSchema>

export const ListWebhooksResponseSchema = z.object({ webhooks: z.array(WebhookSchema) })
export type ListWebhooksResponse = z.infer<typeof ListWebhooksResponseSchema>

/** `DELETE /api/v1/alerts/webhooks?id=…`. */
export const DeleteWebhookQuerySchema = z.object({ id: z.uuid() }).strict()
export type DeleteWebhookQuery = z.infer<typeof DeleteWebhookQuerySchema>
