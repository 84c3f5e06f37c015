/** Release comparison, through the client's one HTTP seam. */
import { CompareReleasesResponseSchema, type CompareReleasesResponse } from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export const releaseApi = {
  compare: (
    p: { a: string; b: string; agent?: string; from?: string; to?: string },
    signal?: AbortSignal,
  ): Promise<CompareReleasesResponse> =>
    request(
      `compare releases ${p.a} and ${p.b}`,
      `/api/v1/analytics/releases/compare${toQuery({ ...p })}`,
      CompareReleasesResponseSchema,
      { signal },
    ),
}
