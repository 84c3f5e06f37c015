/**
 * @module session
 * Contract of the console session (`/api/v1/session`): sign in with a project key, see the projects
 * the session holds and which one is current, switch between them, sign out.
 */
import { z } from 'zod'

/** `POST /api/v1/session` body: a project key. Signing in again while signed in adds its project. */
export const SignInRequestSchema = z.object({ apiKey: z.string().min(1).max(512) })
export type SignInRequest = z.infer<typeof SignInRequestSchema>

export const SessionProjectSchema = z.object({ id: z.string(), name: z.string() })
export type SessionProject = z.infer<typeof SessionProjectSchema>

/**
 * `GET`, `POST` and `PUT /api/v1/session`: the project requests are scoped to (`projectId`) and
 * every project the caller can switch to. Requests with a key header see only that key's project
 * (`kind: 'key'`, no expiry).
 */
export const SessionResponseSchema = z.object({
  kind: z.enum(['session', 'key']),
  projectId: z.string(),
  projects: z.array(SessionProjectSchema),
  expiresAt: z.string().nullable(),
})
export type SessionResponse = z.infer<typeof SessionResponseSchema>

/** `PUT /api/v1/session` body: make another project of the session the current one. */
export const SwitchProjectRequestSchema = z.object({ projectId: z.string().min(1).max(128) }).strict()
export type SwitchProjectRequest = z.infer<typeof SwitchProjectRequestSchema>
