/**
 * The regression-case endpoints, through the console's one HTTP seam (`request` in api/client.ts:
 * `res.ok` check, error envelope, zod parse with the contract's response schemas).
 */
import {
  GetRegressionCaseResponseSchema,
  ListRegressionCasesResponseSchema,
  RegressionCaseProposalResponseSchema,
  RegressionRunsResponseSchema,
  type RegressionCase,
  type RegressionCaseProposalResponse,
  type RegressionCaseSummary,
  type RegressionRunsResponse,
} from '@sightline/schema'
import type { z } from 'zod'
import { request } from '../../api/client'

type GetCaseResponse = z.infer<typeof GetRegressionCaseResponseSchema>

const casePath = (id: string) => `/api/v1/regression-cases/${encodeURIComponent(id)}`

export const regressionApi = {
  /** The server's proposal; `redact: false` gives the captured content as stored (the preview's "before"). */
  propose: (
    traceId: string,
    options: { redact?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<RegressionCaseProposalResponse> =>
    request(
      `propose a regression case for trace ${traceId}`,
      `/api/v1/traces/${encodeURIComponent(traceId)}/regression-case${options.redact === false ? '?redact=false' : ''}`,
      RegressionCaseProposalResponseSchema,
      { signal },
    ),
  listCases: async (signal?: AbortSignal): Promise<RegressionCaseSummary[]> =>
    (await request('list regression cases', '/api/v1/regression-cases', ListRegressionCasesResponseSchema, { signal }))
      .cases,
  getCase: (id: string, signal?: AbortSignal): Promise<GetCaseResponse> =>
    request(`load regression case ${id}`, casePath(id), GetRegressionCaseResponseSchema, { signal }),
  getRuns: (id: string, signal?: AbortSignal): Promise<RegressionRunsResponse> =>
    request(`load the runs of ${id}`, `${casePath(id)}/runs`, RegressionRunsResponseSchema, { signal }),
  saveCase: (suite: string, rc: RegressionCase): Promise<GetCaseResponse> =>
    request(`save ${rc.id} to suite ${suite}`, '/api/v1/regression-cases', GetRegressionCaseResponseSchema, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ suite, case: rc }),
    }),
  deleteCase: async (id: string): Promise<void> => {
    await request(`delete ${id}`, casePath(id), null, { method: 'DELETE' })
  },
  /** Same-origin link: the session cookie authenticates the download. */
  vitestUrl: (id: string) => `${casePath(id)}/vitest`,
}
