import { z } from 'zod'
import { csvOf } from './query-params.js'
import { AnomalyDimensionSchema, AnomalyKindSchema, AnomalyMetricSchema, AnomalySchema } from './anomaly.js'

/**
 * Incidents (`/api/v1/incidents`): what the feed shows and what alerts are about. The detector's
 * findings (anomalies: one series episode, one looping trace…) that belong together are grouped
 * into one incident with a count, the traces behind it, a severity and a one-line explanation.
 *
 * Two states live side by side:
 * - `status` is the people's: `open` → `acknowledged` (someone is on it) → `resolved`; `snoozed`
 *   mutes it until `snoozedUntil`, after which it is open again. The detector resolves an incident
 *   itself once its signal has stayed normal for a while (`resolution: 'recovered'`).
 * - `signal` is the detector's: `active` while any finding of the incident is, `normal` since
 *   `recoveredAt` (a finding within the hold time re-activates the same incident).
 */
export const IncidentStatusSchema = z.enum(['open', 'acknowledged', 'snoozed', 'resolved'])
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>

export const IncidentSeveritySchema = z.enum(['info', 'warning', 'critical'])
export type IncidentSeverity = z.infer<typeof IncidentSeveritySchema>

/**
 * What an incident is about. Series families (`cost`, `latency`, `errors`) come from the series
 * tiers over the rollups; the others from rules on single traces or on releases;
 * `score_drop` from production evaluation scores.
 */
export const IncidentFamilySchema = z.enum([
  'cost',
  'latency',
  'errors',
  'release_latency',
  'loop',
  'tool_errors',
  'unfinished',
  'outlier',
  'score_drop',
])
export type IncidentFamily = z.infer<typeof IncidentFamilySchema>

/** The agent, tool, model and release the incident concerns ('' = not narrowed to one). */
export const IncidentScopeSchema = z.object({
  agent: z.string(),
  tool: z.string(),
  model: z.string(),
  release: z.string(),
})
export type IncidentScope = z.infer<typeof IncidentScopeSchema>

export const IncidentSchema = z.object({
  /** 32 hex characters. */
  id: z.string(),
  family: IncidentFamilySchema,
  /** Families of all its findings (a database incident shows in errors and in latency). */
  families: z.array(IncidentFamilySchema),
  /** "Cost spike", "Tool loop", … */
  title: z.string(),
  /** One line with the numbers: "cost per trace 4.1× baseline since 21:20, driven by claude-opus-4 in planner". */
  explanation: z.string(),
  status: IncidentStatusSchema,
  /** How it was resolved: by the signal returning to normal, or by a person. */
  resolution: z.enum(['', 'recovered', 'manual']),
  signal: z.enum(['active', 'normal']),
  severity: IncidentSeveritySchema,
  /** Size × spread, the number severity is read from (higher is worse). */
  severityScore: z.number(),
  scope: IncidentScopeSchema,
  /** The lead finding: the largest one of the incident's first family. */
  kind: AnomalyKindSchema,
  dimension: AnomalyDimensionSchema,
  value: z.string(),
  metric: AnomalyMetricSchema,
  /** Metrics of all its findings: the charts the incident is shaded on. */
  metrics: z.array(AnomalyMetricSchema),
  observed: z.number(),
  expected: z.number(),
  /** When the signal started (first breach of its first finding). */
  firstSeenAt: z.string(),
  /** When the detector opened the incident (first breach + confirmation). */
  openedAt: z.string(),
  lastSeenAt: z.string(),
  recoveredAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  /** Findings grouped into it. */
  findings: z.number().int(),
  /** Production traces affected (counted over the incident's window), and the most telling of them. */
  traceCount: z.number().int(),
  traceIds: z.array(z.string()),
  /** Whether an alert went out (an `info` incident is shown, never sent). */
  alerted: z.boolean(),
})
export type Incident = z.infer<typeof IncidentSchema>

const isoDateTime = z.iso.datetime({ offset: true })
const statusCsv = csvOf(IncidentStatusSchema, 4)

/**
 * `GET /api/v1/incidents`: incidents active at some point in [from, to] (default: the last 7 days),
 * open ones first, then by severity and recency. `metric` narrows to incidents shaded on that metric's chart.
 */
export const ListIncidentsQuerySchema = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    status: statusCsv.optional(),
    metric: AnomalyMetricSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
export type ListIncidentsQuery = z.infer<typeof ListIncidentsQuerySchema>

export const ListIncidentsResponseSchema = z.object({
  incidents: z.array(IncidentSchema),
  from: z.string(),
  to: z.string(),
})
export type ListIncidentsResponse = z.infer<typeof ListIncidentsResponseSchema>

/** `GET /api/v1/incidents/:id`: the incident and its findings (newest first, at most 200). */
export const GetIncidentResponseSchema = z.object({ incident: IncidentSchema, anomalies: z.array(AnomalySchema) })
export type GetIncidentResponse = z.infer<typeof GetIncidentResponseSchema>

/** Longest snooze: a week (a muted incident must come back some day). */
export const MAX_SNOOZE_MINUTES = 7 * 24 * 60

/**
 * `POST /api/v1/incidents/:id/{acknowledge|resolve|reopen|snooze}` (JSON body; `{}` for all but
 * snooze). Answers with the incident as it now is.
 */
export const SnoozeIncidentRequestSchema = z
  .object({ minutes: z.number().int().min(1).max(MAX_SNOOZE_MINUTES) })
  .strict()
export type SnoozeIncidentRequest = z.infer<typeof SnoozeIncidentRequestSchema>
export const IncidentActionSchema = z.enum(['acknowledge', 'resolve', 'reopen', 'snooze'])
export type IncidentAction = z.infer<typeof IncidentActionSchema>
export const IncidentActionResponseSchema = z.object({ incident: IncidentSchema })
export type IncidentActionResponse = z.infer<typeof IncidentActionResponseSchema>

/**
 * What an alert webhook receives, once per incident event: Slack-compatible (`text`, `blocks`) plus
 * the incident. `opened` (first alert), `escalated` (severity went up), `reopened` (a snooze ran out
 * while the signal is still active), `recovered` (the signal stayed normal for the hold time).
 */
export const AlertEventSchema = z.enum(['opened', 'escalated', 'reopened', 'recovered'])
export type AlertEvent = z.infer<typeof AlertEventSchema>

export const AlertPayloadSchema = z.object({
  text: z.string(),
  blocks: z
    .array(z.object({ type: z.literal('section'), text: z.object({ type: z.literal('mrkdwn'), text: z.string() }) }))
    .optional(),
  event: AlertEventSchema,
  incident: IncidentSchema,
})
export type AlertPayload = z.infer<typeof AlertPayloadSchema>

/** Acknowledge, resolve and reopen take no body (an empty object is accepted, anything else is a 400). */
export const IncidentActionRequestSchema = z.object({}).strict()
export type IncidentActionRequest = z.infer<typeof IncidentActionRequestSchema>
