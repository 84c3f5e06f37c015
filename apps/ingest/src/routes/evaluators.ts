/**
 * `/api/v1/evaluators` (online evaluators, their runs, "run now") and
 * `/api/v1/reference-trajectories` (steps saved from good traces). Project-scoped.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { observeCounted } from '@sightline/core'
import {
  CreateReferenceRequestSchema,
  EvaluatorIdSchema,
  ListEvaluatorRunsQuerySchema,
  PutEvaluatorRequestSchema,
  ReferenceIdSchema,
  type Evaluator,
  type ListEvaluatorsResponse,
  type PutEvaluatorRequest,
  type ReferenceTrajectory,
  type EvaluatorResponse,
  type ReferenceResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { jsonBody } from './json-body.js'

export function evaluatorRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.get('/', async (c) => {
    const projectId = c.get('projectId')
    const [evaluators, stats] = await Promise.all([deps.evaluators.list(projectId), deps.evaluators.stats(projectId)])
    const body: ListEvaluatorsResponse = {
      evaluators: evaluators.map((e) => ({
        ...e,
        stats: stats.get(e.id) ?? { runs: 0, errors: 0, lastRunAt: null, costUsd: 0 },
      })),
      judgeConfigured: deps.judge !== undefined,
    }
    return c.json(body)
  })

  const load = async (projectId: string, rawId: string) => {
    const id = parseOr400(EvaluatorIdSchema, rawId, 'id')
    const found = await deps.evaluators.get(projectId, id)
    if (!found) throw notFound(`No evaluator ${id} in this project.`)
    return found
  }

  app.get('/:id', async (c) => c.json({ evaluator: await load(c.get('projectId'), c.req.param('id')) }))

  app.put('/:id', async (c) => {
    const projectId = c.get('projectId')
    const id = parseOr400(EvaluatorIdSchema, c.req.param('id'), 'id')
    const request = parseOr400(PutEvaluatorRequestSchema, await jsonBody(c), 'body')
    await checkEvaluator(deps, projectId, request)
    const existing = await deps.evaluators.get(projectId, id)
    const now = new Date().toISOString()
    const evaluator: Evaluator = {
      id,
      ...request,
      version: (await deps.evaluators.lastVersion(projectId, id)) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    }
    await deps.evaluators.put(projectId, evaluator)
    return c.json<EvaluatorResponse>({ evaluator }, existing ? 200 : 201)
  })

  app.delete('/:id', async (c) => {
    const evaluator = await load(c.get('projectId'), c.req.param('id'))
    await deps.evaluators.delete(c.get('projectId'), evaluator)
    return c.body(null, 204)
  })

  app.get('/:id/runs', async (c) => {
    const evaluator = await load(c.get('projectId'), c.req.param('id'))
    const { limit } = parseOr400(ListEvaluatorRunsQuerySchema, c.req.query(), 'query')
    return c.json({ runs: await deps.evaluators.runs(c.get('projectId'), evaluator.id, limit) })
  })

  app.post('/:id/run', async (c) => {
    const evaluator = await load(c.get('projectId'), c.req.param('id'))
    return c.json(await deps.evaluatorScheduler.runEvaluator(c.get('projectId'), evaluator))
  })
  return app
}

/** What the schema cannot know: the judge is configured, the reference exists, the score config fits. */
async function checkEvaluator(deps: Deps, projectId: string, e: PutEvaluatorRequest): Promise<void> {
  const c = e.config
  if (c.type === 'llm_judge' && !deps.judge)
    throw badRequest(
      'Invalid body: config.type llm_judge needs a judge endpoint; the operator sets SIGHTLINE_JUDGE_URL (and ' +
        'SIGHTLINE_JUDGE_MODEL, SIGHTLINE_JUDGE_API_KEY).',
    )
  if (
    c.type === 'trajectory' &&
    c.reference?.kind === 'reference' &&
    !(await deps.references.get(projectId, c.reference.id))
  )
    throw badRequest(`Invalid body: config.reference: no reference trajectory ${c.reference.id} in this project`)
  if (
    c.type === 'trajectory' &&
    c.reference?.kind === 'case' &&
    !(await deps.regression.get(projectId, c.reference.caseId))
  )
    throw badRequest(`Invalid body: config.reference: no regression case ${c.reference.caseId} in this project`)
  const [min, max] = c.type === 'llm_judge' ? [c.scoreMin, c.scoreMax] : [0, 1]
  const config = await deps.scoreConfigs.get(projectId, e.scoreName)
  if (!config) {
    await deps.scoreConfigs.put(projectId, {
      name: e.scoreName,
      dataType: 'numeric',
      min,
      max,
      passThreshold: e.passThreshold,
      description: `written by evaluator ${e.name}`,
    })
    return
  }
  if (config.dataType !== 'numeric')
    throw badRequest(
      `Invalid body: scoreName ${e.scoreName} has a ${config.dataType} score config; evaluators write numbers`,
    )
  if (config.min !== undefined && config.max !== undefined && (config.min > min || config.max < max))
    throw badRequest(
      `Invalid body: scoreName ${e.scoreName} takes ${config.min}–${config.max}; this evaluator writes ${min}–${max}`,
    )
}

export function referenceRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.get('/', async (c) => c.json({ references: await deps.references.list(c.get('projectId')) }))

  app.post('/', async (c) => {
    const projectId = c.get('projectId')
    const request = parseOr400(CreateReferenceRequestSchema, await jsonBody(c), 'body')
    const traceId = request.traceId.toLowerCase()
    const found = await deps.traceReader.get(projectId, traceId, 'full')
    if (!found) throw notFound(`No trace ${traceId} in this project.`)
    const steps = observeCounted(found.spans)
      .steps.filter((s) => s.kind === 'tool_call' || s.kind === 'agent_delegation')
      .map(({ isError: _failed, ...s }) => ({ ...s, argsMatch: request.argsMatch }))
    const reference: ReferenceTrajectory = {
      id: request.id ?? `ref-${randomBytes(4).toString('hex')}`,
      name: request.name,
      sourceTraceId: traceId,
      agent: '',
      steps,
      match: { order: 'strict', extras: 'allow', missing: 'forbid', kinds: ['tool_call', 'agent_delegation'] },
      createdAt: new Date().toISOString(),
    }
    await deps.references.put(projectId, reference)
    return c.json<ReferenceResponse>({ reference }, 201)
  })

  app.get('/:id', async (c) => {
    const id = parseOr400(ReferenceIdSchema, c.req.param('id'), 'id')
    const found = await deps.references.get(c.get('projectId'), id)
    if (!found) throw notFound(`No reference trajectory ${id} in this project.`)
    return c.json<ReferenceResponse>({ reference: found })
  })

  app.delete('/:id', async (c) => {
    const id = parseOr400(ReferenceIdSchema, c.req.param('id'), 'id')
    if (!(await deps.references.delete(c.get('projectId'), id)))
      throw notFound(`No reference trajectory ${id} in this project.`)
    return c.body(null, 204)
  })
  return app
}
