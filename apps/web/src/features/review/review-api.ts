/** Review queues and reference trajectories through the console's one HTTP seam. */
import {
  CreateReviewQueueResponseSchema,
  ListReviewQueuesResponseSchema,
  ReferenceResponseSchema,
  ReviewQueueDetailSchema,
  SubmitReviewResponseSchema,
  type CreateReviewQueueRequest,
  type ListReviewQueuesResponse,
  type ReferenceTrajectory,
  type ReviewQueue,
  type ReviewQueueDetail,
  type SubmitReviewRequest,
} from '@sightline/schema'
import { request } from '../../api/client'

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})
const queuePath = (id: string) => `/api/v1/review-queues/${encodeURIComponent(id)}`

export const reviewApi = {
  list: (signal?: AbortSignal): Promise<ListReviewQueuesResponse> =>
    request('list review queues', '/api/v1/review-queues', ListReviewQueuesResponseSchema, { signal }),
  get: (id: string, signal?: AbortSignal): Promise<ReviewQueueDetail> =>
    request(`load review queue ${id}`, queuePath(id), ReviewQueueDetailSchema, { signal }),
  create: async (body: CreateReviewQueueRequest): Promise<ReviewQueue> =>
    (
      await request(
        'build the review queue',
        '/api/v1/review-queues',
        CreateReviewQueueResponseSchema,
        json('POST', body),
      )
    ).queue,
  submit: async (id: string, position: number, body: SubmitReviewRequest): Promise<void> => {
    await request(
      'save the review',
      `${queuePath(id)}/items/${position}/review`,
      SubmitReviewResponseSchema,
      json('PUT', body),
    )
  },
  saveReference: async (traceId: string, name: string): Promise<ReferenceTrajectory> =>
    (
      await request(
        'save the reference trajectory',
        '/api/v1/reference-trajectories',
        ReferenceResponseSchema,
        json('POST', { traceId, name }),
      )
    ).reference,
}
