/**
 * The resolver stage over the real embedded store: spans arriving in any order and any number of
 * requests resolve to one trace state; re-sent spans and restarts change nothing; a late span
 * replaces the earlier state exactly in the rollups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, str } from '../../src/db/sql.js'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { startTestServer, type TestServer } from '../helpers/server.js'

type Request = {
  resourceSpans: Array<{
    resource: object
    scopeSpans: Array<{ scope: object; spans: Array<{ parentSpanId: string }> }>
  }>
}

/** The same request, split: spans with a parent first, the root in a second request (as exporters often do). */
function childrenThenRoot(request: Request): [Request, Request] {
  const rs = request.resourceSpans[0]!
  const spans = rs.scopeSpans[0]!.spans
  const pick = (root: boolean): Request => ({
    resourceSpans: [
      { ...rs, scopeSpans: [{ ...rs.scopeSpans[0]!, spans: spans.filter((s) => (s.parentSpanId === '') === root) }] },
    ],
  })
  return [pick(false), pick(true)]
}

describe('trace resolver', () => {
  let server: TestServer
  let dataDir: string
  const startMs = Date.now() - 60_000
  const spec = {
    seed: 'resolver-1',
    startMs,
    agent: 'planner',
    model: 'gpt-4o-mini',
    llmCalls: 2,
    tools: [
      { name: 'weather', args: { city: 'Paris' }, error: 'timeout' },
      { name: 'weather', args: { city: 'Paris' }, result: 'sunny' },
    ],
  }
  const traceId = traceIdFor(spec.seed)

  const stateRows = () =>
    server.deps.store.query<{
      outcome: string
      agents: string[]
      llm_calls: number
      tool_calls: number
      tool_errors: number
      tags: string[]
      version: string
    }>(sql`
    SELECT outcome, agents, llm_calls, tool_calls, tool_errors, tags,
      version FROM traces FINAL WHERE trace_id = ${str(traceId)}`)
  const allRows = async () =>
    Number(
      (
        await server.deps.store.query<{ n: string }>(
          sql`SELECT count() AS n FROM traces WHERE trace_id = ${str(traceId)}`,
        )
      )[0]?.n,
    )
  const rollup = async () => {
    const [row] = await server.deps.store.query<Record<string, string | number>>(sql`
      SELECT sum(traces) AS traces, sum(llm_calls) AS llm, sum(tool_calls) AS tools, sum(tool_errors) AS tool_errors,
        toFloat64(sum(cost_usd)) AS cost, sum(unit_recovered) AS recovered
      FROM agg_5m WHERE project_id = 'default' AND dim_type = 'total'`)
    return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]))
  }

  beforeAll(async () => {
    server = await startTestServer({ SIGHTLINE_RESOLVE_QUIET_MS: '100' })
    dataDir = server.dataDir
  })
  afterAll(async () => server?.stop())

  it('resolves a trace whose children arrived before their parent, with the parent’s agent', async () => {
    const [children, root] = childrenThenRoot(makeTraceRequest(spec) as Request)
    await sendJson(server.url, server.authHeaders, children)
    await server.drain()
    expect((await stateRows())[0]?.outcome).toBe('running')
    await sendJson(server.url, server.authHeaders, root)
    await server.drain()
    const [state] = await stateRows()
    expect(state).toMatchObject({
      outcome: 'recovered',
      agents: ['planner'],
      llm_calls: 2,
      tool_calls: 2,
      tool_errors: 1,
      tags: ['recovered-retry'],
    })
    expect(await rollup()).toMatchObject({ traces: 1, llm: 2, tools: 2, tool_errors: 1, recovered: 1 })
  })

  it('changes nothing when every span is sent again after a restart', async () => {
    const before = { rows: await allRows(), rollup: await rollup() }
    await server.stop()
    server = await startTestServer({ SIGHTLINE_RESOLVE_QUIET_MS: '100' }, dataDir)
    await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
    await server.drain()
    expect(await allRows()).toBe(before.rows)
    expect(await rollup()).toEqual(before.rollup)
  })

  it('replaces the earlier state exactly when a late span arrives', async () => {
    const late = makeTraceRequest({ ...spec, llmCalls: 3 }) as Request
    await sendJson(server.url, server.authHeaders, late)
    await server.drain()
    const [state] = await stateRows()
    expect(state?.llm_calls).toBe(3)
    expect(await rollup()).toMatchObject({ traces: 1, llm: 3, tools: 2 })
    const merged = await server.deps.store.query<{ n: string }>(
      sql`SELECT count() AS n FROM traces FINAL WHERE trace_id = ${str(traceId)}`,
    )
    expect(Number(merged[0]?.n)).toBe(1)
  })
})

describe('trace resolver while ingest is behind', () => {
  let server: TestServer
  const present = async (traceId: string) =>
    (await server.deps.store.query(sql`SELECT 1 FROM traces FINAL WHERE trace_id = ${str(traceId)}`)).length > 0
  const waitPresent = async (traceId: string, budgetMs: number) => {
    for (const until = Date.now() + budgetMs; Date.now() < until; ) {
      if (await present(traceId)) return true
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return false
  }
  const sendStored = async (seed: string) => {
    await sendJson(
      server.url,
      server.authHeaders,
      makeTraceRequest({ seed, startMs: Date.now() - 5_000, agent: 'planner', llmCalls: 1 }),
    )
    await server.deps.writer.drain()
    return traceIdFor(seed)
  }

  beforeAll(async () => {
    server = await startTestServer({ SIGHTLINE_RESOLVE_QUIET_MS: '100', SIGHTLINE_RESOLVE_MAX_DEFER_MS: '4000' })
    // Past the start-up catch-up, which resolves whatever is in the store regardless of ingest.
    await sendStored('warm-up')
    await server.drain()
  })
  afterAll(async () => server?.stop())

  it('leaves quiet traces waiting while spool segments wait for the store, at most the deferral bound', async () => {
    server.deps.resolver.ingestBacklogged = () => true
    const traceId = await sendStored('deferred-1')
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(await present(traceId)).toBe(false)
    expect(
      (await server.deps.metrics.registry.getSingleMetric('sightline_resolver_deferred_ticks_total')?.get())?.values[0]
        ?.value,
    ).toBeGreaterThan(0)
    // Still behind, but the bound has passed: resolved anyway.
    expect(await waitPresent(traceId, 20_000)).toBe(true)
  })

  it('resolves at once when ingest has caught up', async () => {
    let behind = true
    server.deps.resolver.ingestBacklogged = () => behind
    const traceId = await sendStored('deferred-2')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await present(traceId)).toBe(false)
    behind = false
    expect(await waitPresent(traceId, 3_000)).toBe(true)
  })
})
