/**
 * The proposal endpoint's work: a stored trace (full spans and its resolved summary) → proposeCase()
 * from the core package, plus the query knobs the console sends (budgets to judge an overrun,
 * redaction on/off). The case records the outcome and failure reason the trace list shows.
 */
import { proposeCase, type RegressionCaseProposal } from '@sightline/core'
import { z } from 'zod'
import type { TraceReader } from '../resolve/trace-reader.js'

export const ProposalQuerySchema = z
  .object({
    maxSteps: z.coerce.number().int().positive().optional(),
    maxTokens: z.coerce.number().int().positive().optional(),
    maxCostUsd: z.coerce.number().positive().optional(),
    maxLatencyMs: z.coerce.number().positive().optional(),
    redact: z.enum(['true', 'false']).default('true'),
  })
  .strict()
export type ProposalQuery = z.infer<typeof ProposalQuerySchema>

export async function proposeFromTrace(
  traces: TraceReader,
  projectId: string,
  traceId: string,
  query: ProposalQuery,
): Promise<RegressionCaseProposal | undefined> {
  const found = await traces.get(projectId, traceId, 'full')
  if (!found) return undefined
  const limits = Object.fromEntries(
    Object.entries({
      maxSteps: query.maxSteps,
      maxTokens: query.maxTokens,
      maxCostUsd: query.maxCostUsd,
      maxLatencyMs: query.maxLatencyMs,
    }).filter(([, v]) => v !== undefined),
  )
  return proposeCase(found.spans, {
    now: new Date().toISOString(),
    limits,
    redact: query.redact === 'true',
    summary: found.trace,
  })
}
