/** Query API latency over a server holding ~BENCH_QUERY_SPANS spans, loaded through OTLP/protobuf. */
import { mulberry32, type Pool } from './generator.js'
import { inspectDataDir } from './baseline.js'
import type { InspectResult } from './store-child.js'
import { percentile, runLoad } from './load.js'
import {
  AUTH,
  removeDataDir,
  startServerProcess,
  waitResolved,
  waitStored,
  type ServerProcess,
} from './server-process.js'

export interface LatencyStats {
  name: string
  path: string
  calls: number
  p50Ms: number
  p95Ms: number
  maxMs: number
  /** Traces in the answer (list) or spans (by id) of the last call: proves the filter matched something. */
  resultSize: number
}

export interface QueryResult {
  spans: number
  traces: number
  loadSeconds: number
  /** From the last span stored until every trace was resolved: the list reads resolved traces. */
  resolveSeconds: number
  loadAckSpansPerSecond: number
  loadEndToEndSpansPerSecond: number
  loadSaturatedAckP99Ms: number
  retries503: number
  peakRssBytes: number
  stored: InspectResult
  exactlyOnce: boolean
  byId: LatencyStats
  byIdMismatches: number
  lists: LatencyStats[]
}

interface ListVariant {
  name: string
  query: string
}

export function listVariants(now: Date): ListVariant[] {
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString()
  return [
    { name: 'default page (last 7 days, newest 50)', query: '' },
    { name: 'last hour', query: `from=${encodeURIComponent(hourAgo)}` },
    { name: 'agent=research-agent', query: 'agent=research-agent' },
    { name: 'model=claude-sonnet-4-20250514', query: 'model=claude-sonnet-4-20250514' },
    { name: 'status=error', query: 'status=error' },
    { name: 'minCostUsd=0.05', query: 'minCostUsd=0.05' },
    { name: 'q=zephyrine (text search)', query: 'q=zephyrine' },
    { name: 'sort=costUsd', query: 'sort=costUsd' },
  ]
}

async function timedGet(server: ServerProcess, path: string): Promise<{ ms: number; body: unknown; status: number }> {
  const started = performance.now()
  const res = await fetch(`${server.url}${path}`, { headers: AUTH })
  const body = (await res.json()) as unknown
  return { ms: performance.now() - started, body, status: res.status }
}

export async function runQueries(
  pool: Pool,
  opts: {
    connections: number
    seed: number
    traceLookups: number
    listCalls: number
    listMinCalls: number
    listBudgetSeconds: number
    log: (line: string) => void
  },
): Promise<QueryResult> {
  const server = await startServerProcess('query')
  try {
    const load = await runLoad({
      url: server.url,
      encoding: 'protobuf',
      bodies: pool.bodies,
      spanCounts: pool.spanCounts,
      connections: opts.connections,
    })
    const stored = await waitStored(server, pool.spans, 1_800_000)
    const loadSeconds = (stored.at - load.startedAt) / 1000
    opts.log(`  loaded ${pool.spans} spans in ${loadSeconds.toFixed(1)} s`)
    // Queries run on a settled server: while the resolver catches up, the lists lack the newest traces
    // and every call competes with it, which measures the backlog, not the query.
    const resolveSeconds = ((await waitResolved(server, 1_800_000)).at - stored.at) / 1000
    opts.log(`  every trace resolved ${resolveSeconds.toFixed(1)} s later`)

    // Trace by id: 20 warm-up lookups, then `traceLookups` random known traces, one at a time.
    const rng = mulberry32(opts.seed ^ 0x5eed)
    const pickTrace = () => pool.traces[Math.floor(rng() * pool.traces.length)]!
    for (let i = 0; i < 20; i++) await timedGet(server, `/api/v1/traces/${pickTrace().traceId}`)
    const byIdMs: number[] = []
    let mismatches = 0
    let lastSpans = 0
    for (let i = 0; i < opts.traceLookups; i++) {
      const trace = pickTrace()
      const { ms, body, status } = await timedGet(server, `/api/v1/traces/${trace.traceId}`)
      const spans = (body as { spans?: unknown[] }).spans?.length ?? -1
      if (status !== 200 || spans !== trace.spans) mismatches++
      lastSpans = spans
      byIdMs.push(ms)
    }
    const byId: LatencyStats = {
      name: 'GET /api/v1/traces/{id}',
      path: '/api/v1/traces/{id}',
      calls: byIdMs.length,
      p50Ms: percentile(byIdMs, 50),
      p95Ms: percentile(byIdMs, 95),
      maxMs: percentile(byIdMs, 100),
      resultSize: lastSpans,
    }
    opts.log(`  by id: p50 ${byId.p50Ms.toFixed(1)} ms, p95 ${byId.p95Ms.toFixed(1)} ms (${mismatches} mismatches)`)

    // Trace list variants: 3 warm-up calls, then up to `listCalls` calls within the time budget.
    const lists: LatencyStats[] = []
    for (const variant of listVariants(new Date())) {
      const path = `/api/v1/traces${variant.query ? `?${variant.query}` : ''}`
      let size = 0
      for (let i = 0; i < 3; i++) {
        const { status, body } = await timedGet(server, path)
        if (status !== 200) throw new Error(`${path} answered ${status}: ${JSON.stringify(body)}`)
        size = (body as { traces: unknown[] }).traces.length
      }
      const samples: number[] = []
      const budgetEnd = performance.now() + opts.listBudgetSeconds * 1000
      while (samples.length < opts.listCalls && (samples.length < opts.listMinCalls || performance.now() < budgetEnd)) {
        samples.push((await timedGet(server, path)).ms)
      }
      const stats: LatencyStats = {
        name: variant.name,
        path,
        calls: samples.length,
        p50Ms: percentile(samples, 50),
        p95Ms: percentile(samples, 95),
        maxMs: percentile(samples, 100),
        resultSize: size,
      }
      lists.push(stats)
      opts.log(
        `  list ${variant.name}: p50 ${stats.p50Ms.toFixed(0)} ms, ` +
          `p95 ${stats.p95Ms.toFixed(0)} ms over ${stats.calls} calls (${size} traces)`,
      )
    }
    const memory = server.memory()
    await server.stop()
    const inspected = await inspectDataDir(server.dataDir)
    removeDataDir(server.dataDir)
    return {
      spans: pool.spans,
      traces: pool.traces.length,
      loadSeconds,
      resolveSeconds,
      loadAckSpansPerSecond: pool.spans / ((load.finishedAt - load.startedAt) / 1000),
      loadEndToEndSpansPerSecond: pool.spans / loadSeconds,
      loadSaturatedAckP99Ms: percentile(load.latenciesMs, 99),
      retries503: load.retries503,
      peakRssBytes: memory.peakRss,
      stored: inspected,
      exactlyOnce: inspected.count === pool.spans && inspected.uniqueSpans === pool.spans,
      byId,
      byIdMismatches: mismatches,
      lists,
    }
  } catch (error) {
    await server.stop().catch(() => undefined)
    throw error
  }
}
