/**
 * `/api/v1/review-queues`: build a queue from the explorer's filters or an anomaly's traces, read it
 * with each item's reviews, progress and agreement between reviewers, and submit one reviewer's
 * scores for one item (human scores carrying the queue's id: reviewing again edits them, with
 * history). Project-scoped.
 */
import { createHash, randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { agreementOf, type Rating } from '@sightline/core'
import {
  CreateReviewQueueRequestSchema,
  ListTracesQuerySchema,
  QueueIdSchema,
  SubmitReviewRequestSchema,
  type ListReviewQueuesResponse,
  type Review,
  type ReviewQueue,
  type ReviewQueueDetail,
  type CreateReviewQueueResponse,
  type SubmitReviewResponse,
} from '@sightline/schema'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { jsonBody } from './json-body.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

const PositionSchema = z.coerce.number().int().min(0).max(999)

/** One reviewer's score of one item has a stable id: submitting again edits it. */
function reviewScoreId(queueId: string, traceId: string, author: string, name: string): string {
  const who = createHash('sha256').update(author).digest('hex').slice(0, 12)
  return `rv:${queueId}:${traceId}:${who}:${name}`.slice(0, 160)
}

export function reviewQueueRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.post('/', async (c) => {
    const projectId = c.get('projectId')
    const r = parseOr400(CreateReviewQueueRequestSchema, await jsonBody(c), 'body')
    const configs = await deps.scoreConfigs.byName(projectId)
    const missing = r.scoreNames.filter((n) => !configs.has(n))
    if (missing.length)
      throw badRequest(
        `Invalid body: scoreNames: no score config for ${missing.join(', ')} (create it under /api/v1/score-configs)`,
      )
    const to = r.to ?? new Date().toISOString()
    const from = r.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    let traceIds: string[]
    if (r.anomalyId) {
      const anomaly = await deps.anomalies.get(projectId, r.anomalyId)
      if (!anomaly) throw notFound(`No anomaly ${r.anomalyId} in this project.`)
      traceIds = anomaly.traceIds.slice(0, r.limit)
    } else {
      const filter = ListTracesQuerySchema.parse(r.filter ?? {})
      traceIds = (
        await deps.traceList.list(projectId, {
          ...filter,
          from: isoToChTime(from),
          to: isoToChTime(to),
          sort: 'startTime',
          order: 'desc',
          limit: r.limit,
          cursor: undefined,
        })
      ).traces.map((t) => t.traceId)
    }
    if (traceIds.length === 0)
      throw badRequest('No traces match: the queue would be empty (widen the range or the filter).')
    const queue: ReviewQueue = {
      id: `rq-${randomBytes(6).toString('hex')}`,
      name: r.name,
      source: r.anomalyId ? 'anomaly' : 'filter',
      filter: r.filter ?? {},
      from,
      to,
      anomalyId: r.anomalyId ?? '',
      scoreNames: r.scoreNames,
      createdAt: new Date().toISOString(),
      itemCount: traceIds.length,
    }
    await deps.reviewQueues.create(projectId, queue, traceIds)
    return c.json<CreateReviewQueueResponse>({ queue }, 201)
  })

  app.get('/', async (c) => {
    const projectId = c.get('projectId')
    const queues = await deps.reviewQueues.list(projectId)
    const reviewed = await Promise.all(
      queues.map(
        async (q) =>
          new Set(
            (await deps.scores.list(projectId, { queueId: q.id, sources: ['human'], limit: 10_000 })).map(
              (s) => s.traceId,
            ),
          ).size,
      ),
    )
    const body: ListReviewQueuesResponse = { queues: queues.map((q, i) => ({ ...q, reviewed: reviewed[i]! })) }
    return c.json(body)
  })

  const load = async (projectId: string, rawId: string) => {
    const id = parseOr400(QueueIdSchema, rawId, 'id')
    const queue = await deps.reviewQueues.get(projectId, id)
    if (!queue) throw notFound(`No review queue ${id} in this project.`)
    return queue
  }

  app.get('/:id', async (c) =>
    c.json(await detail(deps, c.get('projectId'), await load(c.get('projectId'), c.req.param('id')))),
  )

  app.delete('/:id', async (c) => {
    const queue = await load(c.get('projectId'), c.req.param('id'))
    await deps.reviewQueues.delete(c.get('projectId'), queue)
    return c.body(null, 204)
  })

  app.put('/:id/items/:position/review', async (c) => {
    const projectId = c.get('projectId')
    const queue = await load(projectId, c.req.param('id'))
    const position = parseOr400(PositionSchema, c.req.param('position'), 'position')
    const item = (await deps.reviewQueues.items(projectId, queue.id)).find((i) => i.position === position)
    if (!item) throw notFound(`Review queue ${queue.id} has no item ${position}.`)
    const review = parseOr400(SubmitReviewRequestSchema, await jsonBody(c), 'body')
    const unknown = review.scores.filter((s) => !queue.scoreNames.includes(s.name)).map((s) => s.name)
    if (unknown.length)
      throw badRequest(
        `Invalid body: scores: ${unknown.join(', ')} not scored in this queue (${queue.scoreNames.join(', ')})`,
      )
    const written = await deps.scoreWriter.write(
      projectId,
      review.scores.map((s) => ({
        id: reviewScoreId(queue.id, item.traceId, review.author, s.name),
        traceId: item.traceId,
        name: s.name,
        value: s.value,
        source: 'human' as const,
        author: review.author,
        comment: review.comment,
        evaluator: '',
        evaluatorVersion: '',
        queueId: queue.id,
      })),
    )
    return c.json<SubmitReviewResponse>({ scores: written })
  })
  return app
}

async function detail(deps: Deps, projectId: string, queue: ReviewQueue): Promise<ReviewQueueDetail> {
  const [items, scores, configs] = await Promise.all([
    deps.reviewQueues.items(projectId, queue.id),
    deps.scores.list(projectId, { queueId: queue.id, sources: ['human'], limit: 10_000 }),
    deps.scoreConfigs.byName(projectId),
  ])
  const traces = await deps.reviewQueues.traces(
    projectId,
    items.map((i) => i.traceId),
  )
  const reviewsOf = new Map<string, Map<string, Review>>()
  for (const s of scores) {
    if (s.value === null) continue
    const byAuthor = reviewsOf.get(s.traceId) ?? new Map<string, Review>()
    const review = byAuthor.get(s.author) ?? { author: s.author, scores: {}, comment: '', reviewedAt: s.updatedAt }
    review.scores[s.name] = s.value
    if (s.comment) review.comment = s.comment
    if (s.updatedAt > review.reviewedAt) review.reviewedAt = s.updatedAt
    byAuthor.set(s.author, review)
    reviewsOf.set(s.traceId, byAuthor)
  }
  const byReviewer = new Map<string, number>()
  for (const reviews of reviewsOf.values())
    for (const author of reviews.keys()) byReviewer.set(author, (byReviewer.get(author) ?? 0) + 1)
  const agreement = queue.scoreNames.map((name) => {
    const ratings: Rating[] = scores
      .filter((s) => s.name === name && s.value !== null)
      .map((s) => ({ item: s.traceId, author: s.author, value: s.value! }))
    return agreementOf(name, configs.get(name)?.dataType ?? 'numeric', ratings)
  })
  return {
    queue,
    items: items.map((i) => {
      const t = traces.get(i.traceId)
      return {
        position: i.position,
        traceId: i.traceId,
        name: t?.name ?? '',
        outcome: t?.outcome ?? null,
        failureReason: t?.failureReason ?? '',
        startTime: t?.startTime ?? '',
        reviews: [...(reviewsOf.get(i.traceId)?.values() ?? [])],
      }
    }),
    progress: {
      total: items.length,
      reviewed: items.filter((i) => reviewsOf.has(i.traceId)).length,
      byReviewer: [...byReviewer]
        .map(([author, reviewed]) => ({ author, reviewed }))
        .sort((a, b) => a.author.localeCompare(b.author)),
    },
    agreement,
  }
}
