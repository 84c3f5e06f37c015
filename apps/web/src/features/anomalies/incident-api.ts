/**
 * Incidents: the feed, one incident with its findings, and the people's actions, through the client's one HTTP seam.
 */
import {
  GetIncidentResponseSchema,
  IncidentActionResponseSchema,
  ListIncidentsResponseSchema,
  type AnomalyMetric,
  type GetIncidentResponse,
  type Incident,
  type IncidentAction,
  type IncidentStatus,
  type ListIncidentsResponse,
} from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export interface IncidentListParams {
  from?: string
  to?: string
  status?: readonly IncidentStatus[]
  metric?: AnomalyMetric
  limit?: number
}

export const incidentApi = {
  list: (p: IncidentListParams, signal?: AbortSignal): Promise<ListIncidentsResponse> => {
    const query = toQuery({
      from: p.from,
      to: p.to,
      metric: p.metric,
      status: p.status?.length ? p.status.join(',') : undefined,
      limit: p.limit === undefined ? undefined : String(p.limit),
    })
    return request('load incidents', `/api/v1/incidents${query}`, ListIncidentsResponseSchema, { signal })
  },
  get: (id: string, signal?: AbortSignal): Promise<GetIncidentResponse> =>
    request('load the incident', `/api/v1/incidents/${encodeURIComponent(id)}`, GetIncidentResponseSchema, { signal }),
  /** `minutes` for a snooze only. */
  act: async (id: string, action: IncidentAction, minutes?: number): Promise<Incident> =>
    (
      await request(
        `${action} the incident`,
        `/api/v1/incidents/${encodeURIComponent(id)}/${action}`,
        IncidentActionResponseSchema,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(action === 'snooze' ? { minutes } : {}),
        },
      )
    ).incident,
}
