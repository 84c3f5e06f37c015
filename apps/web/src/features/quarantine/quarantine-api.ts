/** The project's quarantined spans (GET /api/v1/quarantine), through the client's one HTTP seam. */
import { GetQuarantineResponseSchema, type GetQuarantineResponse } from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export interface QuarantineRange {
  from?: string
  to?: string
}

export const quarantineApi = {
  get: (range: QuarantineRange, signal?: AbortSignal): Promise<GetQuarantineResponse> =>
    request(
      'load quarantined spans',
      `/api/v1/quarantine${toQuery({ from: range.from, to: range.to })}`,
      GetQuarantineResponseSchema,
      { signal },
    ),
}
