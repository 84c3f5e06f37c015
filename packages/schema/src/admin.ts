/**
 * @module admin
 * Contract of the admin API (`/api/v1/admin`, guarded by the server's SIGHTLINE_ADMIN_KEY): projects
 * and their API keys. Shared by the server and `sightline projects|keys`. A key's secret appears in
 * exactly one response, the one that creates it.
 */
import { z } from 'zod'

export const ProjectIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'project ids are 1-64 letters, digits, _ or -, starting with a letter or digit',
  )

export const ApiKeyIdSchema = z.string().regex(/^k_[0-9a-f]{16}$/, 'key ids look like k_ followed by 16 hex digits')

const NameSchema = z.string().trim().min(1, 'must not be empty').max(200)

export const ProjectInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** Keys not revoked. */
  activeKeys: z.number().int().nonnegative(),
})
export type ProjectInfo = z.infer<typeof ProjectInfoSchema>

export const ApiKeyInfoSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  /** The first characters of the key, to recognise it; never enough to use it. */
  prefix: z.string(),
  name: z.string(),
  createdAt: z.string(),
  revoked: z.boolean(),
  revokedAt: z.string().nullable(),
})
export type ApiKeyInfo = z.infer<typeof ApiKeyInfoSchema>

/** `POST /api/v1/admin/projects`. Without `id`, one is generated (`p_` + 16 hex digits). */
export const CreateProjectRequestSchema = z.object({ name: NameSchema, id: ProjectIdSchema.optional() }).strict()
export type CreateProjectRequest = z.infer<typeof CreateProjectRequestSchema>

/** A new project comes with its first key, shown here once. */
export const CreateProjectResponseSchema = z.object({
  project: ProjectInfoSchema,
  key: ApiKeyInfoSchema,
  apiKey: z.string(),
})
export type CreateProjectResponse = z.infer<typeof CreateProjectResponseSchema>

export const ListProjectsResponseSchema = z.object({ projects: z.array(ProjectInfoSchema) })
export type ListProjectsResponse = z.infer<typeof ListProjectsResponseSchema>

/** `POST /api/v1/admin/projects/{projectId}/keys`. */
export const CreateApiKeyRequestSchema = z.object({ name: NameSchema.default('unnamed') }).strict()
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequestSchema>

/** The key's secret (`apiKey`) is in this response only; the server keeps a SHA-256 of it. */
export const CreateApiKeyResponseSchema = z.object({ key: ApiKeyInfoSchema, apiKey: z.string() })
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponseSchema>

/** `GET /api/v1/admin/projects/{projectId}/keys`: revoked keys included, newest first. */
export const ListApiKeysResponseSchema = z.object({ keys: z.array(ApiKeyInfoSchema) })
export type ListApiKeysResponse = z.infer<typeof ListApiKeysResponseSchema>

/** `DELETE /api/v1/admin/keys/{keyId}`: the key, now revoked (effective at once, sessions included). */
export const RevokeApiKeyResponseSchema = z.object({ key: ApiKeyInfoSchema })
export type RevokeApiKeyResponse = z.infer<typeof RevokeApiKeyResponseSchema>
