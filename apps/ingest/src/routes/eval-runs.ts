/** `/api/v1/eval-runs`: the evaluation gate's reports, written by `sightline eval run`, read per suite and release. */
import { Hono } from 'hono'
import { EvalRunReportSchema, ListEvalRunsQuerySchema, type ListEvalRunsResponse } from '@sightline/schema'
import type { Deps } from '../deps.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { parseOr400 } from '../middleware/validate.js'
import { jsonBody } from './json-body.js'

export function evalRunRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', requireProject(deps))

  app.post('/', async (c) => {
    const report = parseOr400(EvalRunReportSchema, await jsonBody(c), 'body')
    return c.json({ run: await deps.evalRuns.add(c.get('projectId'), report) }, 201)
  })

  app.get('/', async (c) => {
    const q = parseOr400(ListEvalRunsQuerySchema, c.req.query(), 'query')
    const body: ListEvalRunsResponse = { runs: await deps.evalRuns.list(c.get('projectId'), q) }
    return c.json(body)
  })
  return app
}
