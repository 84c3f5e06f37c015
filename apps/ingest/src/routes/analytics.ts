import { Hono } from 'hono'
import {
  AnalyticsRangeQuerySchema,
  CompareReleasesQuerySchema,
  MAX_SERIES_POINTS,
  SeriesQuerySchema,
  TopQuerySchema,
  type AnalyticsStep,
  type OverviewResponse,
  type SeriesResponse,
  type TopResponse,
  type UnpricedModelsResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { alignRange } from '../db/repositories/analytics.js'
import { STEP_MS } from '../db/repositories/analytics-sql.js'
import { badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

const DAY_MS = 24 * 3600 * 1000
const TRACE_SORT = { cost: 'costUsd', tokens: 'totalTokens', calls: 'spanCount', errors: 'errorCount' } as const

/** Resolves optional from/to (default: the last `defaultMs`) and rejects inverted ranges. */
function range(
  query: { from?: string | undefined; to?: string | undefined },
  defaultMs: number,
): { from: string; to: string } {
  const to = new Date(query.to ?? Date.now()).toISOString()
  const from = new Date(query.from ?? Date.parse(to) - defaultMs).toISOString()
  if (Date.parse(from) >= Date.parse(to)) throw badRequest('Invalid query: `from` must be before `to`.')
  return { from, to }
}

/** The resolved range widened to whole steps (UTC). */
function alignedRange(
  query: { from?: string | undefined; to?: string | undefined },
  defaultMs: number,
  step: AnalyticsStep,
) {
  const r = range(query, defaultMs)
  return alignRange(r.from, r.to, step)
}

/** `/api/v1/analytics/*`: dashboard reads over the rollups; every query is scoped to the caller's project. */
export function analyticsRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', withQuerySlot(requireProject(deps), deps.queryLimiter))

  app.get('/series', async (c) => {
    const query = parseOr400(SeriesQuerySchema, c.req.query(), 'query')
    const aligned = alignedRange(query, DAY_MS, query.step)
    const points = (Date.parse(aligned.to) - Date.parse(aligned.from)) / STEP_MS[query.step]
    if (points > MAX_SERIES_POINTS)
      throw badRequest(
        `Invalid query: ${points} points at step ${query.step}; at most ${MAX_SERIES_POINTS} (use a larger step).`,
      )
    const { source, series } = await deps.analytics.series(c.get('projectId'), {
      metric: query.metric,
      dimension: query.dimension,
      step: query.step,
      tokenKind: query.tokenKind,
      top: query.top,
      fromIso: aligned.from,
      toIso: aligned.to,
    })
    const body: SeriesResponse = {
      metric: query.metric,
      dimension: query.dimension,
      step: query.step,
      tokenKind: query.metric === 'tokens' ? query.tokenKind : null,
      from: aligned.from,
      to: aligned.to,
      source,
      series,
    }
    return c.json(body)
  })

  app.get('/overview', async (c) => {
    const query = parseOr400(AnalyticsRangeQuerySchema, c.req.query(), 'query')
    const current = alignedRange(query, DAY_MS, '5m')
    const length = Date.parse(current.to) - Date.parse(current.from)
    const previous = { from: new Date(Date.parse(current.from) - length).toISOString(), to: current.from }
    const body: OverviewResponse = await deps.analytics.overview(c.get('projectId'), current, previous)
    return c.json(body)
  })

  app.get('/top', async (c) => {
    const query = parseOr400(TopQuerySchema, c.req.query(), 'query')
    const projectId = c.get('projectId')
    if (query.entity === 'trace') {
      // The resolved trace list, sorted by the asked measure.
      const r = range(query, DEFAULT_RANGE_MS)
      const { traces } = await deps.traceList.list(projectId, {
        sort: TRACE_SORT[query.by],
        order: 'desc',
        limit: query.limit,
        from: isoToChTime(r.from),
        to: isoToChTime(r.to),
        cursor: undefined,
      })
      const rows = traces.map((t) => ({
        key: t.traceId,
        label: t.name,
        costUsd: t.costUsd ?? 0,
        tokens: t.inputTokens + t.outputTokens,
        calls: t.spanCount,
        errors: t.errorCount,
        traces: 1,
      }))
      const body: TopResponse = { entity: 'trace', by: query.by, ...r, source: 'rollup', rows }
      return c.json(body)
    }
    const r = alignedRange(query, DEFAULT_RANGE_MS, '5m')
    const { source, rows } = await deps.analytics.top(projectId, query.entity, query.by, r.from, r.to, query.limit)
    const body: TopResponse = { entity: query.entity, by: query.by, ...r, source, rows }
    return c.json(body)
  })

  app.get('/unpriced-models', async (c) => {
    const query = parseOr400(AnalyticsRangeQuerySchema, c.req.query(), 'query')
    const r = alignedRange(query, DEFAULT_RANGE_MS, '5m')
    const body: UnpricedModelsResponse = {
      ...r,
      models: await deps.analytics.unpricedModels(c.get('projectId'), r.from, r.to),
    }
    return c.json(body)
  })

  app.get('/releases/compare', async (c) => {
    const query = parseOr400(CompareReleasesQuerySchema, c.req.query(), 'query')
    if (query.a === query.b) throw badRequest('Invalid query: `a` and `b` must be different releases.')
    const r = range(query, DEFAULT_RANGE_MS)
    return c.json(
      await deps.analytics.releases.compare(c.get('projectId'), { a: query.a, b: query.b, agent: query.agent, ...r }),
    )
  })
  return app
}
