/**
 * GET /api/v1/quarantine: spans of the key's project that the store refused and that are kept on
 * disk instead (`$SIGHTLINE_DATA_DIR/spool/quarantine/<project_id>/`). Normally empty: the edge
 * refuses or clamps what the store cannot hold before it acknowledges; this is the last resort
 * that keeps such a loss from being silent.
 */
import { z } from 'zod'

const isoDateTime = z.iso.datetime({ offset: true })

export const GetQuarantineQuerySchema = z
  .object({
    /** When the spans were quarantined (not their own start time, which may be the bad value). */
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict()
export type GetQuarantineQuery = z.infer<typeof GetQuarantineQuerySchema>

export const QuarantineReasonCountSchema = z.object({
  /** The store's error name and code, e.g. `DECIMAL_OVERFLOW (407)`, or ours. */
  reason: z.string(),
  spans: z.number().int().nonnegative(),
  lastAt: z.string(),
})

export const QuarantinedSpanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  reason: z.string(),
  quarantinedAt: z.string(),
})
export type QuarantinedSpan = z.infer<typeof QuarantinedSpanSchema>

export const GetQuarantineResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int().nonnegative(),
  byReason: z.array(QuarantineReasonCountSchema),
  /** Most recent first, at most `limit`. */
  recent: z.array(QuarantinedSpanSchema),
})
export type GetQuarantineResponse = z.infer<typeof GetQuarantineResponseSchema>
