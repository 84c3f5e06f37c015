/** Review queues and reference trajectories through the console's one HTTP seam. */
import {
  ListReviewQueuesResponseSchema,
  ReferenceTrajectorySchema,
  ReviewQueueDetailSchema,
  ReviewQueueSchema,
  type CreateReviewQueueRequest,
  type ListReviewQueuesResponse,
  type ReferenceTrajectory,
  type ReviewQueue,
  type ReviewQueueDetail,
  type SubmitReviewRequest,
} from '@sightline/schema'
import { z } from 'zod'
import { request } from '../../api/client'

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
const queuePath = (id: string) => `/api/v1/review-queues/${encodeURIComponent(id)}`

export const reviewApi = {
  list: (signal?: AbortSignal): Promise<ListReviewQueuesResponse> => request('list review queues', '/api/v1/review-queues', ListReviewQueuesResponseSchema, { signal }),
  get: (id: string, signal?: AbortSignal): Promise<ReviewQueueDetail> => request(`load review queue ${id}`, queuePath(id), ReviewQueueDetailSchema, { signal }),
  create: async (body: CreateReviewQueueRequest): Promise<ReviewQueue> =>
    (await request('build the review queue', '/api/v1/review-queues', z.object({ queue: ReviewQueueSchema }), json('POST', body))).queue,
  submit: async (id: string, position: number, body: SubmitReviewRequest): Promise<void> => {
    await request('save the review', `${queuePath(id)}/items/${position}/review`, z.object({ scores: z.array(z.object({ id: z.string(), status: z.string() })) }), json('PUT', body))
  },
  saveReference: async (traceId: string, name: string): Promise<ReferenceTrajectory> =>
    (await request('save the reference trajectory', '/api/v1/reference-trajectories', z.object({ reference: ReferenceTrajectorySchema }), json('POST', { traceId, name }))).reference,
}
