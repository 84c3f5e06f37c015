/**
 * The one response the contract (`@sightline/schema` api.ts) does not define yet: the console
 * session (`GET /api/v1/session`). Delete once api.ts exports it.
 */
import { z } from 'zod'

export const SessionResponseSchema = z.object({ projectId: z.string() })
