/**
 * The CLI's view of the admin API (`/api/v1/admin`): every response parsed with the contract in
 * `@sightline/schema`, every failure an `AdminError` carrying the server's own message.
 */
import {
  ApiErrorSchema,
  CreateApiKeyResponseSchema,
  CreateProjectResponseSchema,
  ListApiKeysResponseSchema,
  ListProjectsResponseSchema,
  RevokeApiKeyResponseSchema,
  type CreateApiKeyResponse,
  type CreateProjectRequest,
  type CreateProjectResponse,
  type ListApiKeysResponse,
  type ListProjectsResponse,
  type RevokeApiKeyResponse,
} from '@sightline/schema'
import type { z } from 'zod'

export class AdminError extends Error {
  override name = 'AdminError'
}

export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminKey: string,
  ) {}

  listProjects(): Promise<ListProjectsResponse> {
    return this.call('GET', '/projects', ListProjectsResponseSchema)
  }

  createProject(body: CreateProjectRequest): Promise<CreateProjectResponse> {
    return this.call('POST', '/projects', CreateProjectResponseSchema, body)
  }

  listKeys(projectId: string): Promise<ListApiKeysResponse> {
    return this.call('GET', `/projects/${encodeURIComponent(projectId)}/keys`, ListApiKeysResponseSchema)
  }

  createKey(projectId: string, name: string | undefined): Promise<CreateApiKeyResponse> {
    return this.call(
      'POST',
      `/projects/${encodeURIComponent(projectId)}/keys`,
      CreateApiKeyResponseSchema,
      name === undefined ? {} : { name },
    )
  }

  revokeKey(keyId: string): Promise<RevokeApiKeyResponse> {
    return this.call('DELETE', `/keys/${encodeURIComponent(keyId)}`, RevokeApiKeyResponseSchema)
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v1/admin${path}`
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.adminKey}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      })
    } catch (error) {
      throw new AdminError(`cannot reach Sightline at ${this.baseUrl} (${(error as Error).message})`)
    }
    const json: unknown = await res.json().catch(() => undefined)
    if (!res.ok) {
      const envelope = ApiErrorSchema.safeParse(json)
      throw new AdminError(`${envelope.success ? envelope.data.error.message : res.statusText} (HTTP ${res.status})`)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success)
      throw new AdminError(`unexpected answer from ${method} ${url}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    return parsed.data
  }
}
