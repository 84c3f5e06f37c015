/**
 * `/api/v1/analytics/scores/*`: a score's series by release, agent, model or source; scores per
 * release with 95 % intervals next to the evaluation-gate runs of that release; two releases
 * compared with the test used. Mounted before the other analytics routes; project-scoped.
 */
import { Hono } from 'hono'
import { passRuleOf } from '@sightline/core'
import {
  CompareReleaseScoresQuerySchema,
  ReleaseScoresQuerySchema,
  ScoreSeriesQuerySchema,
  type CompareReleaseScoresResponse,
  type ReleaseScore,
  type ReleaseScoresResponse,
  type ScoreSeriesResponse,
} from '@sightline/schema'
import type { Deps } from '../deps.js'
import { alignRange } from '../db/repositories/analytics.js'
import { STEP_MS } from '../db/repositories/analytics-sql.js'
import { compareScores, SCORE_METHODS } from '../db/repositories/score-analytics.js'
import { badRequest } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

const DAY_MS = 86_400_000
const MAX_POINTS = 2100

function range(q: { from?: string; to?: string }, defaultMs: number): { from: string; to: string } {
  const to = new Date(q.to ?? Date.now()).toISOString()
  const from = new Date(q.from ?? Date.parse(to) - defaultMs).toISOString()
  if (Date.parse(from) >= Date.parse(to)) throw badRequest('Invalid query: `from` must be before `to`.')
  return { from, to }
}

export function scoreAnalyticsRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.get('/series', async (c) => {
    const projectId = c.get('projectId')
    const q = parseOr400(ScoreSeriesQuerySchema, c.req.query(), 'query')
    const r = alignRange(range(q, DAY_MS).from, range(q, DAY_MS).to, q.step)
    const stepMs = STEP_MS[q.step]
    if ((Date.parse(r.to) - Date.parse(r.from)) / stepMs > MAX_POINTS)
      throw badRequest(`Invalid query: more than ${MAX_POINTS} points; use a larger step.`)
    const configs = await deps.scoreConfigs.list(projectId)
    const config = configs.find((cfg) => cfg.name === q.name)
    const rows = await deps.scoreAnalytics.series(projectId, {
      ...q,
      from: isoToChTime(r.from),
      to: isoToChTime(r.to),
      configs,
    })
    const byKey = new Map<
      string,
      Array<{ t: number; n: number; mean: number | null; passes: number; passable: number }>
    >()
    for (const row of rows)
      byKey.set(row.k, [
        ...(byKey.get(row.k) ?? []),
        {
          t: Date.parse(`${row.t.replace(' ', 'T')}Z`),
          n: Number(row.n),
          mean: row.mean === null ? null : Number(row.mean),
          passes: Number(row.passes),
          passable: Number(row.passable),
        },
      ])
    const value = (p: { n: number; mean: number | null; passes: number; passable: number }) =>
      q.metric === 'count' ? p.n : q.metric === 'mean' ? p.mean : p.passable ? p.passes / p.passable : null
    const series = [...byKey]
      .map(([key, points]) => {
        const n = points.reduce((s, p) => s + p.n, 0)
        const weighted = points.filter((p) => p.mean !== null).reduce((s, p) => s + p.mean! * p.n, 0)
        const totals = {
          n,
          mean: n ? weighted / n : null,
          passes: points.reduce((s, p) => s + p.passes, 0),
          passable: points.reduce((s, p) => s + p.passable, 0),
        }
        const byT = new Map(points.map((p) => [p.t, p]))
        const filled = []
        for (let t = Date.parse(r.from); t < Date.parse(r.to); t += stepMs) {
          const p = byT.get(t)
          filled.push({
            t: new Date(t).toISOString(),
            value: p ? value(p) : q.metric === 'count' ? 0 : null,
            n: p?.n ?? 0,
          })
        }
        return { key, n, total: value(totals), points: filled }
      })
      .sort((a, b) => b.n - a.n)
      .slice(0, q.top)
    const body: ScoreSeriesResponse = {
      name: q.name,
      metric: q.metric,
      dimension: q.dimension,
      step: q.step,
      from: r.from,
      to: r.to,
      passRule:
        passRuleOf(config?.dataType, config) ??
        (rows.some((row) => Number(row.passable) > 0) ? passRuleOf('boolean', undefined) : null),
      series,
    }
    return c.json(body)
  })

  app.get('/releases', async (c) => {
    const projectId = c.get('projectId')
    const q = parseOr400(ReleaseScoresQuerySchema, c.req.query(), 'query')
    const r = range(q, DEFAULT_RANGE_MS)
    const names = q.name
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean)
    const stats = await deps.scoreAnalytics.releaseStats(projectId, {
      from: isoToChTime(r.from),
      to: isoToChTime(r.to),
      releases: q.release ? [q.release] : undefined,
      names,
      configs: await deps.scoreConfigs.list(projectId),
    })
    const evalRuns = await deps.evalRuns.latestPerSuite(projectId, q.release ? [q.release] : [...stats.keys()])
    const releases = [...new Set([...stats.keys(), ...evalRuns.keys()])].sort().map((release) => ({
      release,
      scores: (stats.get(release) ?? []).map(publicScore),
      evalRuns: evalRuns.get(release) ?? [],
    }))
    const body: ReleaseScoresResponse = { from: r.from, to: r.to, releases, methods: SCORE_METHODS }
    return c.json(body)
  })

  app.get('/compare', async (c) => {
    const projectId = c.get('projectId')
    const q = parseOr400(CompareReleaseScoresQuerySchema, c.req.query(), 'query')
    const r = range(q, DEFAULT_RANGE_MS)
    const stats = await deps.scoreAnalytics.releaseStats(projectId, {
      from: isoToChTime(r.from),
      to: isoToChTime(r.to),
      releases: [q.a, q.b],
      configs: await deps.scoreConfigs.list(projectId),
    })
    const keys = new Set(
      [...(stats.get(q.a) ?? []), ...(stats.get(q.b) ?? [])].map((s) => `${s.population}\u0000${s.name}`),
    )
    const find = (release: string, key: string) =>
      stats.get(release)?.find((s) => `${s.population}\u0000${s.name}` === key)
    const evalRuns = await deps.evalRuns.latestPerSuite(projectId, [q.a, q.b])
    const body: CompareReleaseScoresResponse = {
      from: r.from,
      to: r.to,
      a: q.a,
      b: q.b,
      scores: [...keys].sort().map((key) => {
        const [population, name] = key.split('\u0000') as ['production' | 'ci', string]
        const a = find(q.a, key)
        const b = find(q.b, key)
        return { name, population, a: a ? publicScore(a) : null, b: b ? publicScore(b) : null, ...compareScores(a, b) }
      }),
      evalRuns: { a: evalRuns.get(q.a) ?? [], b: evalRuns.get(q.b) ?? [] },
    }
    return c.json(body)
  })
  return app
}

/** Drops the variance the comparison needs but the contract does not carry. */
function publicScore(s: ReleaseScore & { variance?: number }): ReleaseScore {
  const { variance: _variance, ...rest } = s
  return rest
}
