/**
 * Dashboard panels at BENCH_DASHBOARD_SPANS spans (default 1M; the BENCHMARKS.md figures use 10M):
 * each panel asked of the rollups (through AnalyticsRepository, i.e. what the API runs) and the same
 * question asked of raw spans. Prints a markdown section and, unless BENCH_WRITE_REPORT=0, writes it
 * to BENCHMARKS.md ("Dashboards").
 *
 * Raw queries read `spans` without FINAL (the raw API path uses FINAL, which is slower): the ratio is
 * a lower bound on what the rollups save.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Store } from '../../src/db/client.js'
import { AnalyticsRepository } from '../../src/db/repositories/analytics.js'
import { PriceOverrideRepository } from '../../src/db/repositories/prices.js'
import { ResolutionRepository } from '../../src/db/repositories/resolution.js'
import { createLogger } from '../../src/logger.js'
import { createMetrics } from '../../src/metrics.js'
import { PriceOverrideLookup } from '../../src/resolve/overrides.js'
import { DEFAULT_RESOLVER_OPTIONS, TraceResolver } from '../../src/resolve/resolver.js'
import { dt64, sql, str, type SqlFragment } from '../../src/db/sql.js'
import { BENCH_END, BENCH_START, generateSpans } from './generate.js'
import { machineLine, openStore, recordEngine, writeSection } from './shared.js'

const SPANS = Number(process.env.BENCH_DASHBOARD_SPANS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 20)
const P = 'p_main'
const FROM_ISO = `${BENCH_START.replace(' ', 'T')}.000Z`
const TO_ISO = `${BENCH_END.replace(' ', 'T')}.000Z`
const PREV_ISO = new Date(Date.parse(FROM_ISO) - 7 * 86_400_000).toISOString()
const log = (msg: string) => process.stderr.write(`${msg}\n`)

function rawPanels(): Record<string, SqlFragment> {
  const range = sql`project_id = ${str(P)} AND start_time >= ${dt64(BENCH_START)} AND start_time < ${dt64(BENCH_END)}`
  return {
    'series: cost per model per hour, 7 d': sql`SELECT model, toStartOfHour(start_time) AS h, sum(ifNull(cost_usd,
      0)) FROM spans WHERE ${range} AND is_llm_call GROUP BY model, h`,
    'overview totals (+ previous 7 d)': sql`SELECT start_time >= ${dt64(BENCH_START)} AS cur, sum(ifNull(cost_usd, 0)),
      countIf(parent_span_id = ''), countIf(is_llm_call), countIf(kind = 'tool'),
        countIf(parent_span_id = '' AND status = 'error'), countIf(kind = 'tool' AND status = 'error'),
          sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(reasoning_tokens),
        quantilesTDigestIf(0.5, 0.95, 0.99)(duration_ms, parent_span_id = '')
      FROM spans WHERE project_id = ${str(P)} AND start_time >= ${dt64(PREV_ISO.replace('T', ' ').replace('Z', ''))}
        AND start_time < ${dt64(BENCH_END)} GROUP BY cur`,
    'latency p95 per agent per hour, 7 d': sql`SELECT agent_name, toStartOfHour(start_time) AS h, quantilesTDigest(0.5,
      0.95, 0.99)(duration_ms) FROM spans WHERE ${range} AND kind = 'agent' GROUP BY agent_name, h`,
    'error rate per tool per hour, 7 d': sql`SELECT tool_name, toStartOfHour(start_time) AS h,
      countIf(status = 'error') / count() FROM spans WHERE ${range} AND kind = 'tool' GROUP BY tool_name, h`,
    'top 10 agents by cost, 7 d': sql`SELECT agent_name, sum(ifNull(cost_usd,
      0)) AS c FROM spans WHERE ${range} GROUP BY agent_name ORDER BY c DESC LIMIT 10`,
  }
}

function rollupPanels(repo: AnalyticsRepository): Record<string, () => Promise<unknown>> {
  const series =
    (metric: 'cost' | 'latency_p95' | 'error_rate', dimension: 'model' | 'agent' | 'tool', step: '5m' | '1h' = '1h') =>
    () =>
      repo.series(P, { metric, dimension, step, tokenKind: 'total', top: 10, fromIso: FROM_ISO, toIso: TO_ISO })
  return {
    'series: cost per model per hour, 7 d': series('cost', 'model'),
    'overview totals (+ previous 7 d)': () =>
      repo.overview(P, { from: FROM_ISO, to: TO_ISO }, { from: PREV_ISO, to: FROM_ISO }),
    'latency p95 per agent per hour, 7 d': series('latency_p95', 'agent'),
    'error rate per tool per hour, 7 d': series('error_rate', 'tool'),
    'top 10 agents by cost, 7 d': () => repo.top(P, 'agent', 'cost', FROM_ISO, TO_ISO, 10),
    // Is an hourly rollup needed? The same series at 5-minute resolution reads the same rows.
    'series: cost per model per 5 min, 7 d (extra)': series('cost', 'model', '5m'),
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN

async function time(fn: () => Promise<unknown>): Promise<{ first: number; p50: number; p95: number }> {
  const t0 = performance.now()
  await fn()
  const first = performance.now() - t0
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now()
    await fn()
    runs.push(performance.now() - s)
  }
  runs.sort((a, b) => a - b)
  return { first, p50: quantile(runs, 0.5), p95: quantile(runs, 0.95) }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-dash-'))
  const store: Store = await openStore(dataDir)
  await recordEngine(store)
  log(`generating ${SPANS} spans into ${dataDir}`)
  const genStart = performance.now()
  const total = await generateSpans(store, SPANS, log)
  const genSeconds = (performance.now() - genStart) / 1000
  // The rollups are fed by resolved traces: resolve every generated trace with the real resolver.
  log('resolving every trace ...')
  const resolveStart = performance.now()
  const resolver = new TraceResolver(
    new ResolutionRepository(store),
    new PriceOverrideLookup(new PriceOverrideRepository(store)),
    createMetrics(),
    createLogger('warn'),
    { held: true },
    DEFAULT_RESOLVER_OPTIONS,
  )
  const projects = await store.query<{ project_id: string; n: string }>(
    sql`SELECT project_id, uniqExact(trace_id) AS n FROM spans GROUP BY project_id`,
  )
  for (const { project_id: project } of projects) {
    // In time order, as the resolver meets them: a batch of traces from all over the week is read in
    // one group per 6 hours (time-groups.ts), tens of reads per batch that live traffic never makes.
    const ids = (
      await store.queryValues(sql`
        SELECT trace_id FROM trace_index WHERE project_id = ${str(project)}
        GROUP BY trace_id ORDER BY min(start_min), trace_id`)
    ).map((row) => String(row[0]))
    for (let i = 0; i < ids.length; i += DEFAULT_RESOLVER_OPTIONS.batchSize) {
      await resolver.resolveBatch(project, ids.slice(i, i + DEFAULT_RESOLVER_OPTIONS.batchSize))
      if ((i / DEFAULT_RESOLVER_OPTIONS.batchSize) % 50 === 49)
        log(`  ${project}: ${i + DEFAULT_RESOLVER_OPTIONS.batchSize} / ${ids.length} traces`)
    }
  }
  const resolveSeconds = (performance.now() - resolveStart) / 1000
  log(`  resolved in ${resolveSeconds.toFixed(0)} s`)
  log('optimising (merges) ...')
  const optStart = performance.now()
  for (const table of ['spans', 'traces', 'agg_5m', 'agg_1h'])
    await store.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` })
  const optSeconds = (performance.now() - optStart) / 1000
  const [sizes] = await store.query<{ spans: string; agg: string; aggp: string }>(sql`
    SELECT (SELECT count() FROM spans) AS spans, (SELECT count() FROM agg_5m) AS agg,
           (SELECT count() FROM agg_5m WHERE project_id = ${str(P)}) AS aggp`)
  const repo = new AnalyticsRepository(store)
  const raw = rawPanels()
  const rollup = rollupPanels(repo)
  const rows: string[] = []
  for (const [name, fn] of Object.entries(rollup)) {
    const r = await time(fn)
    const rawQuery = raw[name]
    const w = rawQuery ? await time(() => store.query(rawQuery)) : undefined
    log(
      `${name}: rollup p50 ${r.p50.toFixed(1)} p95 ${r.p95.toFixed(1)} ms; ` +
        `raw ${w ? `p50 ${w.p50.toFixed(1)} p95 ${w.p95.toFixed(1)}` : '-'} ms`,
    )
    rows.push(
      `| ${name} | ${r.first.toFixed(0)} / ${r.p50.toFixed(1)} / **${r.p95.toFixed(1)}** ` +
        `| ${w ? `${w.first.toFixed(0)} / ${w.p50.toFixed(1)} / ${w.p95.toFixed(1)}` : '—'} ` +
        `| ${w ? `${(w.p95 / r.p95).toFixed(1)}×` : '—'} |`,
    )
  }
  await store.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  const section = [
    `Command: \`BENCH_DASHBOARD_SPANS=${SPANS} pnpm bench:dashboard\` (${RUNS} warm runs per query after one cold ` +
      `run, one chDB process; other engineers' jobs were running on the same shared machine, ` +
      `so absolute figures are noisy).`,
    `Machine: ${await machineLine()}.`,
    '',
    `Data: ${Number(sizes?.spans).toLocaleString('en')} spans (${total.toLocaleString('en')} generated server-side ` +
      `in ${genSeconds.toFixed(0)} s, every trace resolved by the resolver in ${resolveSeconds.toFixed(0)} s ` +
      `— ${(total / 8 / resolveSeconds).toFixed(0)} traces/s — then OPTIMIZE FINAL in ${optSeconds.toFixed(0)} s), ` +
      `7 days, 80 % in the queried project; agg_5m holds ${Number(sizes?.agg).toLocaleString('en')} rows ` +
      `(${Number(sizes?.aggp).toLocaleString('en')} for the queried project).`,
    '',
    '| Panel (project p_main, 7 days) | rollup first / p50 / p95 ms | raw spans first / p50 / p95 ms | raw p95 ÷ ' +
      'rollup p95 |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Rollup timings go through `AnalyticsRepository` (top-N ranking query + series query + totals query + zero-fill, ' +
      'as the API does); series with step 1h/1d read `agg_1h`, the 5-minute series, overview and top read `agg_5m`. ' +
      'Raw queries read `spans` without FINAL, so the ratio is a lower bound.',
  ].join('\n')
  process.stdout.write(`${section}\n`)
  if (process.env.BENCH_WRITE_REPORT !== '0') writeSection('Dashboards', section)
}

await main()
process.exit(0)
