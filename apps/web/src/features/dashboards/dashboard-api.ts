/** The dashboards' reads and the price-override write, all through the client's one HTTP seam. */
import {
  OverviewResponseSchema,
  PutPriceOverrideResponseSchema,
  SeriesResponseSchema,
  TopResponseSchema,
  UnpricedModelsResponseSchema,
  type AnalyticsDimension,
  type AnalyticsMetric,
  type AnalyticsStep,
  type OverviewResponse,
  type PutPriceOverrideRequest,
  type SeriesResponse,
  type TokenKind,
  type TopResponse,
  type UnpricedModelsResponse,
} from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export interface Range {
  from: string
  to: string
}

export interface SeriesParams extends Range {
  metric: AnalyticsMetric
  dimension?: AnalyticsDimension
  step: AnalyticsStep
  top?: number
  tokenKind?: TokenKind
}

export const analyticsApi = {
  series: (p: SeriesParams, signal?: AbortSignal): Promise<SeriesResponse> =>
    request(
      `load the ${p.metric} series`,
      `/api/v1/analytics/series${toQuery({ ...p, top: p.top === undefined ? undefined : String(p.top) })}`,
      SeriesResponseSchema,
      { signal },
    ),
  overview: (r: Range, signal?: AbortSignal): Promise<OverviewResponse> =>
    request('load the overview', `/api/v1/analytics/overview${toQuery({ ...r })}`, OverviewResponseSchema, { signal }),
  top: (entity: 'trace' | 'agent' | 'model' | 'user', r: Range, signal?: AbortSignal): Promise<TopResponse> =>
    request(
      `load the top ${entity}s`,
      `/api/v1/analytics/top${toQuery({ entity, by: 'cost', limit: '8', ...r })}`,
      TopResponseSchema,
      { signal },
    ),
  unpricedModels: (r: Range, signal?: AbortSignal): Promise<UnpricedModelsResponse> =>
    request(
      'load unpriced models',
      `/api/v1/analytics/unpriced-models${toQuery({ ...r })}`,
      UnpricedModelsResponseSchema,
      { signal },
    ),
  /** Returns how many stored traces are queued to be priced again (the resolver does it in the background). */
  putPriceOverride: async (body: PutPriceOverrideRequest): Promise<number> => {
    const res = await request(
      `set a price for ${body.model}`,
      '/api/v1/price-overrides',
      PutPriceOverrideResponseSchema,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      },
    )
    return res.repricing.traces
  },
}
