/**
 * The admin API: projects and their keys, for `sightline projects|keys`. Guarded by
 * SIGHTLINE_ADMIN_KEY (off when unset). A key's secret is in the response that creates it and
 * nowhere else; revocation works at the next request, sessions included.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import {
  ApiKeyIdSchema,
  CreateApiKeyRequestSchema,
  CreateProjectRequestSchema,
  ProjectIdSchema,
  type CreateApiKeyResponse,
  type CreateProjectResponse,
  type ListApiKeysResponse,
  type ListProjectsResponse,
  type RevokeApiKeyResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { AppError, badRequest, notFound } from '../errors.js'
import { requireAdmin } from '../middleware/admin-auth.js'
import { parseOr400 } from '../middleware/validate.js'

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw badRequest('Malformed JSON in request body')
  }
}

export function adminRoutes(deps: Deps): Hono {
  const app = new Hono()
  app.use('*', requireAdmin(deps.env.SIGHTLINE_ADMIN_KEY))

  const existingProject = async (c: Context) => {
    const projectId = parseOr400(ProjectIdSchema, c.req.param('projectId'), 'projectId')
    const project = await deps.projects.getProject(projectId)
    if (!project) throw notFound(`No project ${projectId}.`)
    return project
  }

  app.get('/projects', async (c) => c.json<ListProjectsResponse>({ projects: await deps.projects.listProjects() }))

  app.post('/projects', async (c) => {
    const body = parseOr400(CreateProjectRequestSchema, await jsonBody(c), 'project')
    if (body.id && (await deps.projects.projectExists(body.id)))
      throw new AppError(409, 'conflict', `Project ${body.id} already exists.`)
    const { projectId, apiKey, key } = await deps.projects.createProject(body.name, body.id)
    const project = await deps.projects.getProject(projectId)
    if (!project) throw new Error(`project ${projectId} not readable after insert`)
    deps.logger.info('admin: project created', { projectId, keyId: key.id })
    return c.json<CreateProjectResponse>({ project, key, apiKey }, 201)
  })

  app.get('/projects/:projectId/keys', async (c) => {
    const project = await existingProject(c)
    return c.json<ListApiKeysResponse>({ keys: await deps.projects.listKeys(project.id) })
  })

  app.post('/projects/:projectId/keys', async (c) => {
    const project = await existingProject(c)
    const { name } = parseOr400(CreateApiKeyRequestSchema, await jsonBody(c), 'key')
    const { apiKey, key } = await deps.projects.createKey(project.id, name)
    deps.logger.info('admin: key created', { projectId: project.id, keyId: key.id })
    return c.json<CreateApiKeyResponse>({ key, apiKey }, 201)
  })

  app.delete('/keys/:keyId', async (c) => {
    const keyId = parseOr400(ApiKeyIdSchema, c.req.param('keyId'), 'keyId')
    const key = await deps.projects.revokeKey(keyId)
    if (!key) throw notFound(`No key ${keyId}.`)
    deps.logger.info('admin: key revoked', { projectId: key.projectId, keyId })
    return c.json<RevokeApiKeyResponse>({ key })
  })
  return app
}
