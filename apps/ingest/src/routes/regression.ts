/**
 * Regression cases: the proposal for any trace, suites of saved cases, their run history per
 * release, and a generated Vitest file. Mounted at `/api/v1`; every route is project-scoped.
 */
import { Hono } from 'hono'
import {
  GetRegressionCaseResponseSchema,
  ListRegressionCasesQuerySchema,
  RegressionCaseIdParamSchema,
  RegressionCaseSchema,
  releaseHistory,
  ReportRegressionRunRequestSchema,
  SaveRegressionCaseRequestSchema,
  TraceIdParamSchema,
  type RegressionRunsResponse,
} from '@sightline/schema'
import { generateVitestFile } from '@sightline/core'
import type { Deps } from '../deps.js'
import { badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { proposeFromTrace, ProposalQuerySchema } from '../regression/propose-from-trace.js'

async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw badRequest('Malformed JSON in request body')
  }
}

export function regressionRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  // Per route, not `use('*')`: this app is mounted at /api/v1 next to other routers.
  const auth = withQuerySlot(requireProject(deps), deps.queryLimiter)

  app.get('/traces/:traceId/regression-case', auth, async (c) => {
    const traceId = parseOr400(TraceIdParamSchema, c.req.param('traceId'), 'traceId').toLowerCase()
    const query = parseOr400(ProposalQuerySchema, c.req.query(), 'query')
    const proposal = await proposeFromTrace(deps.traceReader, c.get('projectId'), traceId, query)
    if (!proposal) throw notFound(`No trace ${traceId} in this project.`)
    return c.json(proposal)
  })

  app.post('/regression-cases', auth, async (c) => {
    const body = parseOr400(SaveRegressionCaseRequestSchema, await jsonBody(c), 'body')
    const { updatedAt } = await deps.regression.save(c.get('projectId'), body.suite, body.case)
    return c.json({ suite: body.suite, case: body.case, updatedAt }, 201)
  })

  app.get('/regression-cases', auth, async (c) => {
    const { suite } = parseOr400(ListRegressionCasesQuerySchema, c.req.query(), 'query')
    return c.json({ cases: await deps.regression.list(c.get('projectId'), suite) })
  })

  const load = async (projectId: string, rawId: string) => {
    const id = parseOr400(RegressionCaseIdParamSchema, rawId, 'id')
    const found = await deps.regression.get(projectId, id)
    if (!found) throw notFound(`No regression case ${id} in this project.`)
    return {
      id,
      suite: found.suite,
      rc: RegressionCaseSchema.parse(JSON.parse(found.caseJson)),
      updatedAt: found.updatedAt,
    }
  }

  app.get('/regression-cases/:id', auth, async (c) => {
    const { suite, rc, updatedAt } = await load(c.get('projectId'), c.req.param('id'))
    return c.json(GetRegressionCaseResponseSchema.parse({ suite, case: rc, updatedAt }))
  })

  app.delete('/regression-cases/:id', auth, async (c) => {
    const id = parseOr400(RegressionCaseIdParamSchema, c.req.param('id'), 'id')
    if (!(await deps.regression.delete(c.get('projectId'), id)))
      throw notFound(`No regression case ${id} in this project.`)
    return c.body(null, 204)
  })

  app.get('/regression-cases/:id/vitest', auth, async (c) => {
    const { rc } = await load(c.get('projectId'), c.req.param('id'))
    c.header('Content-Disposition', `attachment; filename="${rc.id}.regress.test.ts"`)
    return c.body(generateVitestFile(rc), 200, { 'Content-Type': 'text/typescript; charset=utf-8' })
  })

  app.post('/regression-cases/:id/runs', auth, async (c) => {
    const { id } = await load(c.get('projectId'), c.req.param('id'))
    const run = parseOr400(ReportRegressionRunRequestSchema, await jsonBody(c), 'body')
    await deps.regression.addRun(c.get('projectId'), id, run)
    return c.json({ caseId: id, runId: run.runId }, 201)
  })

  app.get('/regression-cases/:id/runs', auth, async (c) => {
    const id = parseOr400(RegressionCaseIdParamSchema, c.req.param('id'), 'id')
    const runs = await deps.regression.listRuns(c.get('projectId'), id)
    const body: RegressionRunsResponse = { runs, ...releaseHistory(runs) }
    return c.json(body)
  })
  return app
}
