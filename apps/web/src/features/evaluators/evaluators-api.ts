/** Online evaluators, their runs and reference trajectories through the console's one HTTP seam. */
import {
  EvaluatorResponseSchema,
  ListEvaluatorRunsResponseSchema,
  ListEvaluatorsResponseSchema,
  ListReferencesResponseSchema,
  PutEvaluatorRequestSchema,
  RunEvaluatorResponseSchema,
  type EvaluatorRun,
  type ListEvaluatorsResponse,
  type ReferenceTrajectory,
  type RunEvaluatorResponse,
} from '@sightline/schema'
import type { z } from 'zod'
import { request } from '../../api/client'

const path = (id: string) => `/api/v1/evaluators/${encodeURIComponent(id)}`

export const evaluatorsApi = {
  list: (signal?: AbortSignal): Promise<ListEvaluatorsResponse> =>
    request('list evaluators', '/api/v1/evaluators', ListEvaluatorsResponseSchema, { signal }),
  put: async (id: string, body: z.input<typeof PutEvaluatorRequestSchema>): Promise<void> => {
    await request(`save evaluator ${id}`, path(id), EvaluatorResponseSchema, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  },
  remove: async (id: string): Promise<void> => {
    await request(`delete evaluator ${id}`, path(id), null, { method: 'DELETE' })
  },
  runs: async (id: string, signal?: AbortSignal): Promise<EvaluatorRun[]> =>
    (await request(`load the runs of ${id}`, `${path(id)}/runs?limit=50`, ListEvaluatorRunsResponseSchema, { signal }))
      .runs,
  runNow: (id: string): Promise<RunEvaluatorResponse> =>
    request(`run evaluator ${id}`, `${path(id)}/run`, RunEvaluatorResponseSchema, { method: 'POST' }),
  references: async (signal?: AbortSignal): Promise<ReferenceTrajectory[]> =>
    (
      await request('list reference trajectories', '/api/v1/reference-trajectories', ListReferencesResponseSchema, {
        signal,
      })
    ).references,
}
