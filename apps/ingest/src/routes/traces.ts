import { Hono } from 'hono'
import {
  GetSpanResponseSchema,
  GetTraceResponseSchema,
  SpanIdParamSchema,
  TraceSkeletonQuerySchema,
  TraceSummarySchema,
  type TraceSkeletonResponseWire,
  TraceViewQuerySchema,
  ListTracesQuerySchema,
  TraceIdParamSchema,
  type ListTracesResponse,
} from '@sightline/schema'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import type { TraceListCursor } from '../db/repositories/trace-list.js'
import { badRequest, notFound } from '../errors.js'
import { requireProject, type AuthEnv } from '../middleware/auth.js'
import { holdSlotUntil, withQuerySlot } from '../middleware/query-slot.js'
import { parseOr400 } from '../middleware/validate.js'
import { skeletonLines } from './skeleton-lines.js'
import { DEFAULT_RANGE_MS, isoToChTime } from './time-range.js'

const CursorSchema = z.object({
  value: z.string().regex(/^-?\d+(\.\d+)?$/),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  sort: z.string(),
  order: z.string(),
})

export function traceRoutes(deps: Deps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.use('*', withQuerySlot(requireProject(deps), deps.queryLimiter))

  app.get('/', async (c) => {
    const query = parseOr400(ListTracesQuerySchema, c.req.query(), 'query')
    const to = query.to ?? new Date().toISOString()
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_MS).toISOString()
    if (Date.parse(from) > Date.parse(to)) throw badRequest('Invalid query: `from` is after `to`.')
    const cursor = query.cursor ? decodeCursor(query.cursor, query.sort, query.order) : undefined
    const { traces, last } = await deps.traceList.list(c.get('projectId'), {
      ...query,
      from: isoToChTime(from),
      to: isoToChTime(to),
      cursor,
    })
    const body: ListTracesResponse = {
      traces,
      nextCursor: last ? encodeCursor(last, query.sort, query.order) : null,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    }
    return c.json(body)
  })

  app.get('/:traceId', async (c) => {
    const traceId = parseOr400(TraceIdParamSchema, c.req.param('traceId'), 'traceId').toLowerCase()
    const { view } = parseOr400(TraceViewQuerySchema, c.req.query(), 'query')
    const found = await deps.traceReader.get(c.get('projectId'), traceId, view)
    // Another project's trace is "not found" too: existence must not leak across projects.
    if (!found) throw notFound(`No trace ${traceId} in this project.`)
    return c.json(GetTraceResponseSchema.parse(found))
  })

  // The trace view's skeleton in columns (packages/schema/src/span-columns.ts): the same spans as
  // `?view=skeleton`, a fraction of the bytes and of the time to write and to parse. With `head`, in
  // lines: the first spans as soon as they are read, then the whole (skeleton-lines.ts).
  app.get('/:traceId/skeleton', async (c) => {
    const traceId = parseOr400(TraceIdParamSchema, c.req.param('traceId'), 'traceId').toLowerCase()
    const { head } = parseOr400(TraceSkeletonQuerySchema, c.req.query(), 'query')
    if (head !== undefined) {
      const projectId = c.get('projectId')
      const checked = (found: Awaited<ReturnType<typeof deps.traceReader.skeletonColumns>>) =>
        found && { trace: TraceSummarySchema.parse(found.trace), spans: found.spans }
      const parts = deps.traceReader.skeletonParts(projectId, traceId, head)
      const { response, written } = await skeletonLines(
        c,
        traceId,
        { head: parts.head.then(checked), whole: parts.whole.then(checked) },
        (err) => deps.logger.error('request failed', { method: c.req.method, path: c.req.path, err }),
      )
      holdSlotUntil(c, written)
      return response
    }
    const found = await deps.traceReader.skeletonColumns(c.get('projectId'), traceId)
    if (!found) throw notFound(`No trace ${traceId} in this project.`)
    // The wire form (TraceSkeletonResponseWire): parsing it here would return the browser's decoded form.
    const body: TraceSkeletonResponseWire = { trace: TraceSummarySchema.parse(found.trace), spans: found.spans }
    return c.json(body)
  })

  app.get('/:traceId/spans/:spanId', async (c) => {
    const traceId = parseOr400(TraceIdParamSchema, c.req.param('traceId'), 'traceId').toLowerCase()
    const spanId = parseOr400(SpanIdParamSchema, c.req.param('spanId'), 'spanId').toLowerCase()
    const span = await deps.traceReader.getSpan(c.get('projectId'), traceId, spanId)
    if (!span) throw notFound(`No span ${spanId} in trace ${traceId} of this project.`)
    return c.json(GetSpanResponseSchema.parse({ span }))
  })
  return app
}

function encodeCursor(last: TraceListCursor, sort: string, order: string): string {
  return Buffer.from(JSON.stringify({ ...last, sort, order })).toString('base64url')
}

function decodeCursor(text: string, sort: string, order: string): TraceListCursor {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw badRequest('Invalid query: `cursor` is not a cursor this API returned.')
  }
  const cursor = parseOr400(CursorSchema, raw, 'cursor')
  if (cursor.sort !== sort || cursor.order !== order)
    throw badRequest('Invalid query: `cursor` belongs to another sort order.')
  return { value: cursor.value, traceId: cursor.traceId }
}
