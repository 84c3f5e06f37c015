/**
 * @module regression/api
 * Contract of the regression-case endpoints (`/api/v1/regression-cases`, the proposal under
 * `/api/v1/traces/{traceId}/regression-case`), shared by ingest, the console and the CLI.
 */
import { z } from 'zod'
import { RegressionCaseSchema } from './case.js'

export const SuiteNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'suite names are 1-64 letters, digits, . _ -')

export const SaveRegressionCaseRequestSchema = z.object({
  suite: SuiteNameSchema.default('default'),
  case: RegressionCaseSchema,
})
export type SaveRegressionCaseRequest = z.infer<typeof SaveRegressionCaseRequestSchema>

export const RegressionCaseSummarySchema = z.object({
  id: z.string(),
  suite: z.string(),
  title: z.string(),
  sourceTraceId: z.string(),
  agent: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type RegressionCaseSummary = z.infer<typeof RegressionCaseSummarySchema>

export const ListRegressionCasesQuerySchema = z.object({ suite: SuiteNameSchema.optional() }).strict()
export const ListRegressionCasesResponseSchema = z.object({ cases: z.array(RegressionCaseSummarySchema) })
export type ListRegressionCasesResponse = z.infer<typeof ListRegressionCasesResponseSchema>
export const GetRegressionCaseResponseSchema = z.object({
  suite: z.string(),
  case: RegressionCaseSchema,
  updatedAt: z.string(),
})

/** `GET /api/v1/traces/{traceId}/regression-case`: the proposal (see `RegressionCaseProposal` in propose.ts). */
export const RegressionCaseProposalResponseSchema = z.object({
  case: RegressionCaseSchema,
  checks: z.array(
    z.object({
      assertionId: z.string(),
      blocking: z.boolean(),
      checkedAgainstSource: z.object({ wouldFail: z.boolean(), detail: z.string() }),
      warning: z.string().optional(),
    }),
  ),
  redaction: z.object({ applied: z.boolean(), fields: z.array(z.string()) }),
  warnings: z.array(z.string()),
})
export type RegressionCaseProposalResponse = z.infer<typeof RegressionCaseProposalResponseSchema>

export const RegressionCaseIdParamSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,80}$/, 'case ids are 3-81 lower-case letters, digits, . _ -')

/** pass/fail: the agent was scored; error: the harness broke; unverifiable: wrong release or no trace. */
export const RunVerdictSchema = z.enum(['pass', 'fail', 'error', 'unverifiable'])
export type RunVerdict = z.infer<typeof RunVerdictSchema>

/** What the CLI reports after each run of a case. */
export const ReportRegressionRunRequestSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** The agent release the run scored (agent card or `service.version`); '' when unknown. */
  release: z.string().max(200).default(''),
  verdict: RunVerdictSchema,
  /** Trace id the run carried (its `traceparent`). */
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().min(0),
  attempt: z.number().int().min(1).default(1),
  summary: z.string().max(4000).default(''),
})
export type ReportRegressionRunRequest = z.infer<typeof ReportRegressionRunRequestSchema>

export const RegressionRunSchema = ReportRegressionRunRequestSchema.extend({
  caseId: z.string(),
  reportedAt: z.string(),
})
export type RegressionRun = z.infer<typeof RegressionRunSchema>

export const ReleaseHistorySchema = z.object({
  release: z.string(),
  runs: z.number(),
  passed: z.number(),
  /** The latest verdict on this release. */
  lastVerdict: RunVerdictSchema,
  firstRunAt: z.string(),
  lastRunAt: z.string(),
})

export const RegressionRunsResponseSchema = z.object({
  runs: z.array(RegressionRunSchema),
  releases: z.array(ReleaseHistorySchema),
  /** e.g. "failing on 2.3.0, passing since 2.3.1". */
  summary: z.string(),
})
export type RegressionRunsResponse = z.infer<typeof RegressionRunsResponseSchema>

/**
 * Per-release history, releases ordered by their first run, and its one-line summary.
 * @example releaseHistory(runs).summary // 'failing on 2.3.0, passing since 2.3.1'
 */
export function releaseHistory(runs: readonly RegressionRun[]): Pick<RegressionRunsResponse, 'releases' | 'summary'> {
  const sorted = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt))
  const byRelease = new Map<string, z.infer<typeof ReleaseHistorySchema>>()
  for (const r of sorted) {
    const key = r.release || '(unknown)'
    const h = byRelease.get(key) ?? {
      release: key,
      runs: 0,
      passed: 0,
      lastVerdict: r.verdict,
      firstRunAt: r.startedAt,
      lastRunAt: r.startedAt,
    }
    h.runs++
    if (r.verdict === 'pass') h.passed++
    h.lastVerdict = r.verdict
    h.lastRunAt = r.startedAt
    byRelease.set(key, h)
  }
  const releases = [...byRelease.values()]
  const parts: string[] = []
  let passingSince: string | undefined
  for (const h of releases) {
    // Only a scored failure ends a passing streak; unscored runs (error, unverifiable) say nothing.
    if (h.lastVerdict === 'pass') passingSince ??= h.release
    else if (h.lastVerdict === 'fail') passingSince = undefined
  }
  const failing = releases.filter((h) => h.lastVerdict === 'fail').map((h) => h.release)
  if (failing.length) parts.push(`failing on ${failing.join(', ')}`)
  if (passingSince) parts.push(`passing since ${passingSince}`)
  const unscored = releases
    .filter((h) => h.lastVerdict === 'error' || h.lastVerdict === 'unverifiable')
    .map((h) => h.release)
  if (unscored.length && !passingSince) parts.push(`not scored on ${unscored.join(', ')}`)
  return { releases, summary: parts.join(', ') || 'no runs yet' }
}
