/**
 * Explorer query latency on a kept data dir (issue 18):
 *   BENCH_QUERY_DATA_DIR=/var/tmp/sl-q10m BENCH_QUERY_SPANS=10000000 BENCH_QUERY_LABEL=after pnpm bench:query
 * (an absolute dir: the script runs from apps/ingest).
 * The first run loads the dir (kept-data.ts); later runs only start the server on it and query.
 * BENCH_QUERY_GROW_TO=30000000 first grows a kept dir to that many spans (the same generator, same window). Each
 * run saves its pages as bench-pages-<label>.json in the dir and compares them with every other
 * label's pages there: measure the old code first (label "before"), then the new, on the same data.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { mulberry32 } from '../generator.js'
import { percentile } from '../load.js'
import { AUTH, startServerProcess, type ServerProcess } from '../server-process.js'
import { checkPage, comparePages, type Page, type TraceSpans, type Variant } from './checks.js'
import { checkDashboards, dashboardPanels } from './dashboards.js'
import { growKeptDataDir, loadKeptDataDir, readManifest, type Manifest } from './kept-data.js'

const log = (line: string) => process.stdout.write(`${line}\n`)
const env = (name: string, fallback: string) => process.env[name] ?? fallback
const dataDir = env('BENCH_QUERY_DATA_DIR', path.join(os.tmpdir(), 'sightline-bench-query-kept'))
const label = env('BENCH_QUERY_LABEL', 'run')
const lookups = Number(env('BENCH_TRACE_LOOKUPS', '200'))
const listCalls = Number(env('BENCH_LIST_CALLS', '40'))

async function get(server: ServerProcess, p: string): Promise<{ ms: number; status: number; body: any }> {
  const started = performance.now()
  const res = await fetch(`${server.url}${p}`, { headers: AUTH })
  const body = await res.json()
  return { ms: performance.now() - started, status: res.status, body }
}

function variants(windowEndMs: number): Variant[] {
  const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString())
  // "now" as it was when the data was loaded, so every run asks the same questions of the same rows.
  const to = windowEndMs + 600_000
  const week = `from=${iso(to - 7 * 86_400_000)}&to=${iso(to)}`
  return [
    { name: 'default page (7 days, newest 50)', query: week, sort: 'startTime' },
    { name: 'last hour', query: `from=${iso(to - 3600_000)}&to=${iso(to)}`, sort: 'startTime', fromMs: to - 3600_000 },
    { name: 'agent=research-agent', query: `${week}&agent=research-agent`, sort: 'startTime', agent: 'research-agent' },
    {
      name: 'model=claude-sonnet-4-20250514',
      query: `${week}&model=claude-sonnet-4-20250514`,
      sort: 'startTime',
      model: 'claude-sonnet-4-20250514',
    },
    { name: 'status=error', query: `${week}&status=error`, sort: 'startTime', outcome: 'failed' },
    { name: 'minCostUsd=0.05', query: `${week}&minCostUsd=0.05`, sort: 'startTime', minCost: 0.05 },
    { name: 'sort=costUsd', query: `${week}&sort=costUsd`, sort: 'costUsd' },
    { name: 'q=zephyrine (text search)', query: `${week}&q=zephyrine`, sort: 'startTime', text: 'zephyrine' },
    // The generator sends no tool arguments or results: a tool span's status message is the span-only
    // text here (in most of its traces, which recovered, no trace column holds it), and two words.
    {
      name: 'q=timed out (tool span status messages)',
      query: `${week}&q=${encodeURIComponent('timed out')}`,
      sort: 'startTime',
      text: 'timed out',
    },
  ]
}

const stats = (xs: number[]) => ({
  calls: xs.length,
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  max: percentile(xs, 100),
})
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

/** The kept dir's data: loaded on the first run, grown to BENCH_QUERY_GROW_TO when that asks for more. */
async function keptData(): Promise<Manifest> {
  const kept =
    readManifest(dataDir) ??
    (await loadKeptDataDir(dataDir, {
      spans: Number(env('BENCH_QUERY_SPANS', '1000000')),
      seed: Number(env('BENCH_SEED', '20261123')),
      connections: 8,
      log,
    }))
  const growTo = Number(env('BENCH_QUERY_GROW_TO', '0'))
  if (growTo <= kept.spans) return kept
  log(`growing ${dataDir} from ${kept.spans} to ${growTo} spans`)
  return growKeptDataDir(dataDir, kept, { spans: growTo - kept.spans, connections: 8, log })
}

async function main(): Promise<void> {
  const manifest = await keptData()
  log(
    `data: ${manifest.spans} spans, ${manifest.traces} traces, ` +
      `loaded ${manifest.loadedAt} in ${manifest.loadSeconds.toFixed(0)} s; label ${label}; load average ${loadavg()}`,
  )
  const server = await startServerProcess('query-kept', {}, dataDir)
  const rows: string[] = []
  const failures: string[] = []
  try {
    const rng = mulberry32(manifest.seed)
    const pick = () => manifest.sample[Math.floor(rng() * manifest.sample.length)]!
    for (let i = 0; i < 20; i++) await get(server, `/api/v1/traces/${pick().traceId}`)
    const byId: number[] = []
    let mismatches = 0
    for (let i = 0; i < lookups; i++) {
      const trace = pick()
      const { ms, status, body } = await get(server, `/api/v1/traces/${trace.traceId}`)
      if (status !== 200 || body.spans?.length !== trace.spans) mismatches++
      byId.push(ms)
    }
    if (mismatches > 0) failures.push(`by id: ${mismatches} span-count mismatches`)
    const s = stats(byId)
    rows.push(
      `| \`GET /api/v1/traces/{id}\` | ${s.calls} | ${s.p50.toFixed(1)} | **${s.p95.toFixed(1)}** ` +
        `| ${s.max.toFixed(1)} | span counts: ${mismatches} mismatches | ${loadavg()} |`,
    )
    log(`by id: p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} (${mismatches} mismatches)`)

    const pages: Record<string, Page> = {}
    for (const variant of variants(manifest.windowEndMs)) {
      const p = `/api/v1/traces?${variant.query}`
      for (let i = 0; i < 3; i++) await get(server, p)
      const samples: number[] = []
      let last: any
      for (let i = 0; i < listCalls; i++) {
        const r = await get(server, p)
        if (r.status !== 200) throw new Error(`${p} answered ${r.status}: ${JSON.stringify(r.body)}`)
        samples.push(r.ms)
        last = r.body
      }
      const next = last.nextCursor
        ? (await get(server, `${p}&cursor=${encodeURIComponent(last.nextCursor)}`)).body
        : { traces: [] }
      const page: Page = { ids: last.traces.map((t: any) => t.traceId), next: next.traces.map((t: any) => t.traceId) }
      const problems = await checkPage(variant, last.traces, next.traces, (id) =>
        get(server, `/api/v1/traces/${id}`).then((r) => (r.status === 200 ? (r.body as TraceSpans) : undefined)),
      )
      failures.push(...problems.map((m) => `${variant.name}: ${m}`))
      pages[variant.name] = page
      const st = stats(samples)
      rows.push(
        `| list: ${variant.name} | ${st.calls} | ${st.p50.toFixed(0)} | **${st.p95.toFixed(0)}** ` +
          `| ${st.max.toFixed(0)} | ${page.ids.length} ` +
          `traces, ${problems.length === 0 ? 'checks pass' : `${problems.length} check failures`} | ${loadavg()} |`,
      )
      log(
        `list ${variant.name}: p50 ${st.p50.toFixed(0)} p95 ${st.p95.toFixed(0)} (${page.ids.length} ` +
          `traces, ${problems.length} problems)`,
      )
    }
    const answers: Record<string, unknown> = {}
    const panelStats: Array<[string, ReturnType<typeof stats>, string]> = []
    for (const panel of dashboardPanels(manifest.windowEndMs)) {
      for (let i = 0; i < 3; i++) await get(server, panel.path)
      const samples: number[] = []
      for (let i = 0; i < listCalls; i++) {
        const r = await get(server, panel.path)
        if (r.status !== 200) throw new Error(`${panel.path} answered ${r.status}: ${JSON.stringify(r.body)}`)
        samples.push(r.ms)
        answers[panel.name] = r.body
      }
      const st = stats(samples)
      panelStats.push([panel.name, st, loadavg()])
      log(`dashboard ${panel.name}: p50 ${st.p50.toFixed(0)} p95 ${st.p95.toFixed(0)}`)
    }
    const dashboardProblems = checkDashboards(answers)
    // The check is of the panels together (splits against the overview's totals): each row says how it went.
    const verdict = dashboardProblems.length === 0 ? 'splits add up' : `${dashboardProblems.length} check failures`
    for (const [name, st, load] of panelStats)
      rows.push(
        `| dashboard: ${name} | ${st.calls} | ${st.p50.toFixed(0)} | **${st.p95.toFixed(0)}** ` +
          `| ${st.max.toFixed(0)} | ${verdict} | ${load} |`,
      )
    log(
      `dashboards: ${dashboardProblems.length === 0 ? 'splits add up to the overview' : dashboardProblems.join('; ')}`,
    )
    failures.push(...dashboardProblems.map((m) => `dashboards: ${m}`))
    fs.writeFileSync(path.join(dataDir, `bench-pages-${label}.json`), JSON.stringify(pages))
    for (const other of fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith('bench-pages-') && f !== `bench-pages-${label}.json`)) {
      const diff = comparePages(
        pages,
        JSON.parse(fs.readFileSync(path.join(dataDir, other), 'utf8')) as Record<string, Page>,
      )
      log(`pages vs ${other}: ${diff.length === 0 ? 'identical' : diff.join('; ')}`)
      failures.push(...diff.map((d) => `vs ${other}: ${d}`))
    }
  } finally {
    const memory = server.memory()
    await server.stop()
    log(`server peak RSS ${(memory.peakRss / 2 ** 30).toFixed(2)} GiB`)
  }
  log(
    `\n${label}, ${new Date().toISOString()}, ${manifest.spans.toLocaleString('en')} spans ` +
      `in ${manifest.traces.toLocaleString('en')} traces:\n`,
  )
  log(
    '| query | calls | p50 ms | **p95 ms** | max ms | checks | load avg (1/5/15 min) |\n|---|---|---|---|---|---|---|',
  )
  for (const row of rows) log(row)
  if (failures.length > 0) {
    log(`\nCHECK FAILURES:\n${failures.join('\n')}`)
    process.exitCode = 1
  }
}

await main()
