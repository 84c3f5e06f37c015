/** The alert webhooks, through the client's one HTTP seam (the feed is incident-api.ts). */
import {
  ListWebhooksResponseSchema,
  PutWebhookResponseSchema,
  RotateWebhookSecretResponseSchema,
  type PutWebhookResponse,
  type RotateWebhookSecretResponse,
  type Webhook,
} from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export const anomalyApi = {
  listWebhooks: async (signal?: AbortSignal): Promise<Webhook[]> =>
    (await request('load webhooks', '/api/v1/alerts/webhooks', ListWebhooksResponseSchema, { signal })).webhooks,
  /** `secret` is present only when the webhook was created by this call (shown once). */
  addWebhook: (url: string): Promise<PutWebhookResponse> =>
    request('add the webhook', '/api/v1/alerts/webhooks', PutWebhookResponseSchema, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url }),
    }),
  rotateWebhookSecret: (id: string): Promise<RotateWebhookSecretResponse> =>
    request(
      'rotate the webhook secret',
      `/api/v1/alerts/webhooks/${encodeURIComponent(id)}/rotate-secret`,
      RotateWebhookSecretResponseSchema,
      {
        method: 'POST',
        // A JSON body like every other state-changing call, so one content-type rule covers them all.
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      },
    ),
  removeWebhook: async (id: string): Promise<void> => {
    await request('delete the webhook', `/api/v1/alerts/webhooks${toQuery({ id })}`, null, { method: 'DELETE' })
  },
}
