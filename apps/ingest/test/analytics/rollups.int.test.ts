import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { overridePricer, resolveTrace } from '@sightline/core'
import type {
  AnalyticsDimension,
  ListTracesResponse,
  OverviewResponse,
  SeriesResponse,
  TopResponse,
  UnpricedModelsResponse,
} from '@sightline/schema'
import { ResolutionRepository } from '../../src/db/repositories/resolution.js'
import { DEFAULT_PROJECT_ID } from '../../src/db/repositories/projects.js'
import { sql, str } from '../../src/db/sql.js'
import { factsFromRow } from '../../src/resolve/span-facts.js'
import { makeTraceRequest, sendJson } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'
import { directRows, traceSpecs } from './seed.js'

let server: TestServer
const FROM = '2026-03-01T00:00:00.000Z'
const TO = '2026-03-02T00:00:00.000Z'
const RANGE = `from=${FROM}&to=${TO}`

beforeAll(async () => {
  server = await startTestServer()
  for (const spec of traceSpecs(60)) await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
  await server.drain()
  const body = Buffer.from(
    directRows(DEFAULT_PROJECT_ID)
      .map((r) => JSON.stringify(r))
      .join('\n'),
  )
  await server.deps.store.insertJsonEachRow('spans', body, 'analytics-direct-rows')
  await server.resolveStored()
})
afterAll(async () => {
  await server?.stop()
})

/**
 * The rollups recounted in TypeScript: every trace of the range read back from `spans` and resolved
 * again, its contributions summed per dimension value. Independent of the rollup view and its SQL.
 */
async function recount(dimension: AnalyticsDimension, withOverrides: boolean) {
  const ids = await server.deps.store.query<{ trace_id: string }>(
    sql`SELECT DISTINCT trace_id FROM spans WHERE project_id = ${str(DEFAULT_PROJECT_ID)}`,
  )
  const repository = new ResolutionRepository(server.deps.store)
  const traces = await repository.spans(
    DEFAULT_PROJECT_ID,
    ids.map((r) => r.trace_id),
    '2000-01-01 00:00:00',
    '2100-01-01 00:00:00',
  )
  const price = withOverrides ? overridePricer(await server.deps.prices.list(DEFAULT_PROJECT_ID)) : () => {}
  const out = new Map<
    string,
    { cost: number; tokens: number; reasoning: number; calls: number; errors: number; traces: number }
  >()
  for (const trace of traces) {
    if (
      trace.startTime < FROM.replace('T', ' ').replace('Z', '') ||
      trace.startTime >= TO.replace('T', ' ').replace('Z', '')
    )
      continue
    const facts = trace.rows.map(factsFromRow)
    price(facts)
    for (const c of resolveTrace(facts, { settled: true }).contributions.filter((c) => c.dimType === dimension)) {
      const row = out.get(c.dimValue) ?? { cost: 0, tokens: 0, reasoning: 0, calls: 0, errors: 0, traces: 0 }
      row.cost += c.costUsd
      row.tokens += c.inputTokens + c.outputTokens
      row.reasoning += c.reasoningTokens
      row.calls += c.units
      row.errors += c.unitFailures
      row.traces += c.traces
      out.set(c.dimValue, row)
    }
  }
  return out
}

async function seriesTotals(dimension: AnalyticsDimension, metric: string, extra = '') {
  const res = await getJson<SeriesResponse>(
    server,
    `/api/v1/analytics/series?metric=${metric}&dimension=${dimension}&step=1h&top=50&${RANGE}${extra}`,
  )
  expect(res.status).toBe(200)
  expect(res.body.series.some((s) => s.isOther)).toBe(false)
  return { body: res.body, totals: new Map(res.body.series.map((s) => [s.key, s.total ?? 0])) }
}

describe('rollups equal a recount of the resolved traces', () => {
  it.each(['total', 'model', 'agent', 'tool', 'user', 'service', 'release', 'environment'] as const)(
    'per %s: cost, tokens, calls, errors, traces',
    async (dimension) => {
      const raw = await recount(dimension, false)
      expect(raw.size).toBeGreaterThan(0)
      for (const [metric, field, extra] of [
        ['cost', 'cost', ''],
        ['tokens', 'tokens', ''],
        ['tokens', 'reasoning', '&tokenKind=reasoning'],
        ['calls', 'calls', ''],
        ['errors', 'errors', ''],
        ['traces', 'traces', ''],
      ] as const) {
        const { totals, body } = await seriesTotals(dimension, metric, extra)
        expect(body.source).toBe('rollup')
        for (const key of totals.keys()) expect(raw.has(key), `${dimension}/${key}`).toBe(true)
        // A value whose every count is 0 for this metric has no series (nothing to rank); it must be 0 in the recount.
        for (const [key, expected] of raw)
          expect(totals.get(key) ?? 0, `${dimension}/${key}/${field}`).toBeCloseTo(expected[field], 8)
        // The points add up to the total too.
        for (const s of body.series)
          expect(s.points.reduce((acc, p) => acc + (p.value ?? 0), 0)).toBeCloseTo(s.total ?? 0, 8)
      }
    },
  )

  it('overview totals match the trace list and the previous range is empty', async () => {
    const res = await getJson<OverviewResponse>(server, `/api/v1/analytics/overview?${RANGE}`)
    expect(res.status).toBe(200)
    const raw = (await recount('total', false)).get('')
    expect(res.body.current.costUsd).toBeCloseTo(raw?.cost ?? -1, 8)
    expect(res.body.current.traces).toBe(61)
    expect(res.body.current.tokens.reasoning).toBe(100)
    expect(res.body.current.latencyMs.p50).toBeGreaterThan(0)
    expect(res.body.current.unpricedCalls).toBeGreaterThan(0)
    expect(res.body.previous).toMatchObject({
      from: '2026-02-28T00:00:00.000Z',
      to: FROM,
      costUsd: 0,
      traces: 0,
      errorRate: null,
    })
  })
})

describe('series shape', () => {
  it('aligns to the step and zero-fills empty steps', async () => {
    const res = await getJson<SeriesResponse>(
      server,
      `/api/v1/analytics/series?metric=calls&dimension=total&step=5m&from=2026-03-01T10:07:00Z&to=2026-03-01T11:03:00Z`,
    )
    expect(res.body).toMatchObject({ from: '2026-03-01T10:05:00.000Z', to: '2026-03-01T11:05:00.000Z', step: '5m' })
    const points = res.body.series[0]?.points ?? []
    expect(points.map((p) => p.t)).toEqual(
      Array.from({ length: 12 }, (_, i) => new Date(Date.parse('2026-03-01T10:05:00Z') + i * 300_000).toISOString()),
    )
    const day = await getJson<SeriesResponse>(server, `/api/v1/analytics/series?metric=cost&step=1h&${RANGE}`)
    const hours = day.body.series[0]?.points ?? []
    expect(hours).toHaveLength(24)
    expect(hours[0]).toEqual({ t: FROM, value: 0 })
    expect(hours.filter((p) => p.value !== 0).length).toBeGreaterThan(0)
    // Ratios and quantiles have no value (null) where there are no calls.
    const p95 = await getJson<SeriesResponse>(server, `/api/v1/analytics/series?metric=latency_p95&step=1h&${RANGE}`)
    expect(p95.body.series[0]?.points[0]?.value).toBeNull()
    expect(p95.body.series[0]?.points[10]?.value).toBeGreaterThan(0)
  })

  it('keeps the top N values and pools the rest as "other"', async () => {
    const all = await seriesTotals('model', 'calls')
    const res = await getJson<SeriesResponse>(
      server,
      `/api/v1/analytics/series?metric=calls&dimension=model&top=2&${RANGE}`,
    )
    const [first, second, other] = res.body.series
    const sorted = [...all.totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    expect([first?.key, second?.key]).toEqual([sorted[0]?.[0], sorted[1]?.[0]])
    expect(other).toMatchObject({ isOther: true, key: '', total: sorted.slice(2).reduce((acc, [, v]) => acc + v, 0) })
  })
})

describe('top and unpriced models', () => {
  it('ranks agents and models by cost, traces by their resolved cost', async () => {
    const agents = await getJson<TopResponse>(server, `/api/v1/analytics/top?entity=agent&by=cost&limit=2&${RANGE}`)
    const raw = [...(await recount('agent', false)).entries()].sort(
      (a, b) => b[1].cost - a[1].cost || a[0].localeCompare(b[0]),
    )
    expect(agents.body.rows.map((r) => r.key)).toEqual(raw.slice(0, 2).map(([k]) => k))
    expect(agents.body.source).toBe('rollup')
    const traces = await getJson<TopResponse>(server, `/api/v1/analytics/top?entity=trace&by=cost&limit=3&${RANGE}`)
    const costs = traces.body.rows.map((r) => r.costUsd)
    expect(costs).toEqual([...costs].sort((a, b) => b - a))
    expect(traces.body.rows[0]?.costUsd).toBeCloseTo(0.51, 8) // the direct trace: 0.5 reported + 0.01
  })

  it('lists models whose calls could not be priced', async () => {
    const res = await getJson<UnpricedModelsResponse>(server, `/api/v1/analytics/unpriced-models?${RANGE}`)
    expect(res.body.models.map((m) => m.model)).toEqual(['acme-llm-1'])
    const raw = await server.deps.store.query<{ n: string; tin: string }>(
      sql`SELECT count() AS n, sum(input_tokens) AS tin FROM spans FINAL WHERE model = 'acme-llm-1' AND is_llm_call`,
    )
    expect(res.body.models[0]).toMatchObject({ calls: Number(raw[0]?.n), inputTokens: Number(raw[0]?.tin) })
  })
})

describe('price overrides', () => {
  it('a price override re-prices every dimension, the list and the overview alike', async () => {
    for (const [model, inputPerMtok, outputPerMtok, cacheReadPerMtok] of [
      ['gpt-4o', 1, 2, 0.25],
      ['acme-llm-1', 3, 4, null],
    ] as const) {
      const put = await fetch(`${server.url}/api/v1/price-overrides`, {
        method: 'PUT',
        headers: { ...server.authHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          model,
          effectiveFrom: '2026-01-01T00:00:00Z',
          inputPerMtok,
          outputPerMtok,
          cacheReadPerMtok,
          cacheWritePerMtok: null,
        }),
      })
      expect(put.status).toBe(200)
    }
    await server.drain()
    for (const dimension of ['total', 'model', 'agent', 'user'] as const) {
      const raw = await recount(dimension, true)
      const { totals, body } = await seriesTotals(dimension, 'cost')
      expect(body.source).toBe('rollup')
      for (const [key, expected] of raw)
        expect(totals.get(key) ?? 0, `${dimension}/${key}`).toBeCloseTo(expected.cost, 8)
    }
    const traces = await getJson<ListTracesResponse>(server, `/api/v1/traces?${RANGE}&limit=500`)
    const listed = traces.body.traces.reduce((acc, t) => acc + (t.costUsd ?? 0), 0)
    const overview = await getJson<OverviewResponse>(server, `/api/v1/analytics/overview?${RANGE}`)
    expect(overview.body.current.costUsd).toBeCloseTo(listed, 8)
    expect(overview.body.current.unpricedCalls).toBe(0)
    const unpriced = await getJson<UnpricedModelsResponse>(server, `/api/v1/analytics/unpriced-models?${RANGE}`)
    expect(unpriced.body.models).toEqual([])
    const top = await getJson<TopResponse>(server, `/api/v1/analytics/top?entity=agent&by=cost&${RANGE}`)
    expect(top.body.source).toBe('rollup')
    expect(top.body.rows.reduce((acc, r) => acc + r.costUsd, 0)).toBeCloseTo(listed, 8)
  })
})

describe('project scoping and validation', () => {
  it("another project's key sees nothing", async () => {
    const other = await server.deps.projects.createProject('other')
    const headers = { 'x-api-key': other.apiKey }
    const series = await getJson<SeriesResponse>(
      server,
      `/api/v1/analytics/series?metric=cost&dimension=model&${RANGE}`,
      headers,
    )
    expect(series.body.series).toEqual([])
    const overview = await getJson<OverviewResponse>(server, `/api/v1/analytics/overview?${RANGE}`, headers)
    expect(overview.body.current).toMatchObject({ costUsd: 0, traces: 0, llmCalls: 0 })
    const top = await getJson<TopResponse>(server, `/api/v1/analytics/top?entity=model&${RANGE}`, headers)
    expect(top.body.rows).toEqual([])
    const unpriced = await getJson<UnpricedModelsResponse>(
      server,
      `/api/v1/analytics/unpriced-models?${RANGE}`,
      headers,
    )
    expect(unpriced.body.models).toEqual([])
    const noKey = await fetch(`${server.url}/api/v1/analytics/overview`)
    expect(noKey.status).toBe(401)
  })

  it.each([
    'series?metric=nope',
    'series?metric=cost&dimension=planet',
    'series?metric=cost&step=2m',
    'series?metric=cost&top=0',
    'series?metric=cost&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
    'series?metric=cost&step=5m&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
    'series?metric=cost&bogus=1',
    'overview?from=yesterday',
    'top?entity=planet',
    'top?entity=agent&limit=1000',
    'releases/compare?a=1.0.0',
    'releases/compare?a=1.0.0&b=1.0.0',
  ])('400 for %s', async (path) => {
    const res = await getJson<{ error: { code: string; message: string } }>(server, `/api/v1/analytics/${path}`)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('bad_request')
  })
})
