/**
 * @module eval/reference
 * Reference trajectories (`/api/v1/reference-trajectories`): the steps of a good run, saved from a
 * trace, that trajectory evaluators compare production runs with. A regression case's expected
 * trajectory serves the same purpose; both use the case format's step.
 */
import { z } from 'zod'
import { CaseMatchSchema, CaseStepSchema } from '../regression/case.js'

export const ReferenceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,80}$/, 'reference ids are 2-81 lower-case letters, digits, . _ -')

export const ReferenceTrajectorySchema = z.object({
  id: ReferenceIdSchema,
  name: z.string().min(1).max(200),
  sourceTraceId: z.string(),
  /** The agent whose steps these are ('' = the whole run). */
  agent: z.string().default(''),
  steps: z.array(CaseStepSchema),
  /** Which step kinds take part (tool calls and delegations by default). */
  match: CaseMatchSchema.prefault({}),
  createdAt: z.string(),
})
export type ReferenceTrajectory = z.infer<typeof ReferenceTrajectorySchema>

/** `POST /api/v1/reference-trajectories`: save the steps of a trace (observed as the regression proposal does). */
export const CreateReferenceRequestSchema = z
  .object({
    traceId: z.string().regex(/^[0-9a-fA-F]{32}$/),
    name: z.string().min(1).max(200),
    id: ReferenceIdSchema.optional(),
    /** How arguments are compared in the saved steps (default `subset`). */
    argsMatch: z.enum(['exact', 'subset', 'ignore']).default('subset'),
  })
  .strict()
export type CreateReferenceRequest = z.infer<typeof CreateReferenceRequestSchema>

export const ListReferencesResponseSchema = z.object({ references: z.array(ReferenceTrajectorySchema) })

/** `POST /api/v1/reference-trajectories` and `GET /api/v1/reference-trajectories/{id}`. */
export const ReferenceResponseSchema = z.object({ reference: ReferenceTrajectorySchema })
export type ReferenceResponse = z.infer<typeof ReferenceResponseSchema>
