/** The anomaly feed and the alert webhooks, through the client's one HTTP seam. */
import { ListAnomaliesResponseSchema, ListWebhooksResponseSchema, WebhookSchema, type AnomalyDimension, type AnomalyMetric, type ListAnomaliesResponse, type Webhook } from '@sightline/schema'
import { z } from 'zod'
import { request, toQuery } from '../../api/client'

export interface AnomalyListParams {
  from?: string
  to?: string
  kind?: string
  status?: string
  dimension?: AnomalyDimension
  value?: string
  metric?: AnomalyMetric
  limit?: number
}

const PutWebhookResponseSchema = z.object({ webhook: WebhookSchema })

export const anomalyApi = {
  list: (p: AnomalyListParams, signal?: AbortSignal): Promise<ListAnomaliesResponse> =>
    request('load anomalies', `/api/v1/anomalies${toQuery({ ...p, limit: p.limit === undefined ? undefined : String(p.limit) })}`, ListAnomaliesResponseSchema, { signal }),
  listWebhooks: async (signal?: AbortSignal): Promise<Webhook[]> =>
    (await request('load webhooks', '/api/v1/alerts/webhooks', ListWebhooksResponseSchema, { signal })).webhooks,
  addWebhook: async (url: string): Promise<Webhook> =>
    (
      await request('add the webhook', '/api/v1/alerts/webhooks', PutWebhookResponseSchema, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url }),
      })
    ).webhook,
  removeWebhook: async (id: string): Promise<void> => {
    await request('delete the webhook', `/api/v1/alerts/webhooks${toQuery({ id })}`, null, { method: 'DELETE' })
  },
}
