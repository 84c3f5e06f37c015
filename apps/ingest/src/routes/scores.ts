/**
 * `/api/v1/scores` and `/api/v1/score-configs`: write scores in batches (all or nothing), read them
 * by target, name, source and range, per-trace summaries for the list, a human's edit and delete
 * of their own scores with history, and the project's rubric. Every route is project-scoped.
 */
import { Hono } from 'hono'
import { fromStoredValue } from '@sightline/core'
import {
  DeleteScoreQuerySchema,
  ListScoresQuerySchema,
  PostScoresRequestSchema,
  ScoreConfigSchema,
  ScoreIdSchema,
  ScoreNameSchema,
  ScoreSummaryQuerySchema,
  UpdateScoreRequestSchema,
  type ListScoresResponse,
  type PostScoresResponse,
  type ScoreHistoryResponse,
  type PutScoreConfigResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { rowToScore } from '../db/repositories/scores.js'
import { AppError, badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { jsonBody } from './json-body.js'
import { isoToChTime } from './time-range.js'

export function scoreRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.post('/', async (c) => {
    const { scores } = parseOr400(PostScoresRequestSchema, await jsonBody(c), 'body')
    const written = await deps.scoreWriter.writeRaw(c.get('projectId'), scores)
    const body: PostScoresResponse = { scores: written }
    return c.json(body, written.some((w) => w.status !== 'unchanged') ? 201 : 200)
  })

  app.get('/', async (c) => {
    const q = parseOr400(ListScoresQuerySchema, c.req.query(), 'query')
    const scores = await deps.scores.list(c.get('projectId'), {
      traceId: q.traceId?.toLowerCase(),
      spanId: q.spanId?.toLowerCase(),
      sessionId: q.sessionId,
      names: q.name,
      sources: q.source,
      release: q.release,
      queueId: q.queueId,
      from: q.from && isoToChTime(q.from),
      to: q.to && isoToChTime(q.to),
      limit: q.limit,
    })
    const body: ListScoresResponse = { scores }
    return c.json(body)
  })

  app.get('/summary', async (c) => {
    const { traceIds } = parseOr400(ScoreSummaryQuerySchema, c.req.query(), 'query')
    return c.json({
      traces: await deps.scores.summary(
        c.get('projectId'),
        traceIds.map((t) => t.toLowerCase()),
      ),
    })
  })

  const load = async (projectId: string, rawId: string) => {
    const id = parseOr400(ScoreIdSchema, rawId, 'id')
    const row = (await deps.scores.current(projectId, [id])).get(id)
    if (!row || Number(row.is_deleted) === 1) throw notFound(`No score ${id} in this project.`)
    return row
  }

  app.get('/:id/history', async (c) => {
    const row = await load(c.get('projectId'), c.req.param('id'))
    const versions = await deps.scores.history(c.get('projectId'), row.score_id)
    const body: ScoreHistoryResponse = {
      id: row.score_id,
      versions: versions.map((v) => ({
        version: v.version,
        value: fromStoredValue(v.dataType, v.value, v.label, v.error),
        label: v.dataType === 'numeric' ? v.label : '',
        comment: v.comment,
        author: v.author,
        error: v.error,
        isDeleted: v.isDeleted,
        changedAt: v.changedAt,
      })),
    }
    return c.json(body)
  })

  app.put('/:id', async (c) => {
    const projectId = c.get('projectId')
    const row = await load(projectId, c.req.param('id'))
    const edit = parseOr400(UpdateScoreRequestSchema, await jsonBody(c), 'body')
    assertOwnHumanScore(row, edit.author)
    const [written] = await deps.scoreWriter.write(projectId, [
      {
        id: row.score_id,
        traceId: row.trace_id || undefined,
        spanId: row.span_id || undefined,
        sessionId: row.trace_id ? undefined : row.session_id,
        name: row.name,
        value: edit.value,
        label: edit.label,
        source: 'human',
        comment: edit.comment,
        author: edit.author,
        evaluator: row.evaluator,
        evaluatorVersion: row.evaluator_version,
        release: row.release,
        queueId: row.queue_id || undefined,
      },
    ])
    return c.json({
      score: rowToScore((await deps.scores.current(projectId, [row.score_id])).get(row.score_id)!),
      status: written!.status,
    })
  })

  app.delete('/:id', async (c) => {
    const projectId = c.get('projectId')
    const row = await load(projectId, c.req.param('id'))
    const { author } = parseOr400(DeleteScoreQuerySchema, c.req.query(), 'query')
    assertOwnHumanScore(row, author)
    await deps.scoreWriter.delete(projectId, row)
    return c.body(null, 204)
  })
  return app
}

function assertOwnHumanScore(row: { source: string; author: string; score_id: string }, author: string): void {
  if (row.source !== 'human')
    throw new AppError(
      403,
      'forbidden',
      `Score ${row.score_id} comes from ${row.source}; only human scores are edited or deleted (add your own score ` +
        `instead).`,
    )
  if (row.author !== author)
    throw new AppError(
      403,
      'forbidden',
      `Score ${row.score_id} is ${row.author}'s; reviewers change only their own scores.`,
    )
}

export function scoreConfigRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.get('/', async (c) => c.json({ configs: await deps.scoreConfigs.list(c.get('projectId')) }))

  app.put('/:name', async (c) => {
    const name = parseOr400(ScoreNameSchema, c.req.param('name'), 'name')
    const body = await jsonBody(c)
    const config = parseOr400(ScoreConfigSchema, body && typeof body === 'object' ? { name, ...body } : body, 'body')
    if (config.name !== name) throw badRequest('Invalid body: name differs from the path')
    await deps.scoreConfigs.put(c.get('projectId'), config)
    return c.json<PutScoreConfigResponse>({ config })
  })

  app.delete('/:name', async (c) => {
    const name = parseOr400(ScoreNameSchema, c.req.param('name'), 'name')
    if (!(await deps.scoreConfigs.delete(c.get('projectId'), name)))
      throw notFound(`No score config ${name} in this project.`)
    return c.body(null, 204)
  })
  return app
}
