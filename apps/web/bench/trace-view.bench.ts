/**
 * Console scale benchmark, in the real browser against the real server (embedded store):
 * - open: navigation start → the first animation frame with timeline rows in the DOM (the frame
 *   that paints them: the head's rows when the server sent the first spans before the whole), and
 *   until the whole trace's rows are painted, for 10k- and 100k-span traces: LOADS traces of each
 *   size, each opened once (p50 / p95; nothing of any of them was read before), then the last one
 *   re-opened LOADS times (the
 *   server keeps a trace's resolution while it is unchanged), with where the first opens' time goes:
 *   skeleton request → response end (server + transfer), JSON.parse, validation, columns → spans,
 *   tree + critical path + badges;
 * - scroll: a programmatic scroll over the whole timeline, one step per animation frame; frame
 *   times from requestAnimationFrame (mean / p95 / max, frames over 50 ms);
 * - server stall: the longest a `/healthz` request waited during the first opens;
 * - initial JS: gzipped size of the entry script and the chunks index.html preloads.
 * The server runs as its own process (`src/index.ts`, as deployed): in this process it shared its
 * event loop with playwright's driver, which spent 40–95 ms of it per open (CPU profile, 2026-12-07).
 * Writes a "Console" section into BENCHMARKS.md (other sections are left alone).
 * Run: `pnpm bench:web` or `pnpm bench:trace-view` (SPANS=10000,100000 and LOADS=7 by default).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Page } from 'playwright-core'
import { ensureConsoleBuilt, launchChromium, postOtlp, signIn, WEB_ROOT } from '../e2e/helpers/console.js'
import { TRACE_VIEW_HEAD_SPANS } from '@sightline/schema'
import { traceIdFor } from '@sightline/testkit/otlp-json'
import {
  AUTH,
  BENCH_API_KEY,
  removeDataDir,
  startServerProcess,
  waitResolved,
  waitStored,
  type ServerProcess,
} from '@sightline/ingest/testing/server-process'
import { makeHugeTrace } from '../e2e/helpers/agent-traces.js'
import { traceOpenMarks, watchTraceOpens } from '../e2e/helpers/trace-open.js'

const SIZES = (process.env['SPANS'] ?? '10000,100000').split(',').map(Number)
const LOADS = Number(process.env['LOADS'] ?? 7)
const BENCH_FILE = path.join(WEB_ROOT, '..', '..', 'BENCHMARKS.md')

interface OpenResult {
  /** The longest a `/healthz` request waited while these opens ran: how long the server answered nobody else. */
  stallMaxMs: number
  firstMs: number
  medianMs: number
  p95Ms: number
  /** Until the whole trace is drawn (the same as the open when no head came first). */
  completeMedianMs: number
  completeP95Ms: number
  /** Opens whose first rows came from the head line (`?head=`), before the whole. */
  headFirst: number
  skeletonBytes: number
  domRows: number
  fetchStartMs: number
  fetchEndMs: number
  jsonMs: number
  validateMs: number
  decodeMs: number
  modelMs: number
}
interface ScrollResult {
  frames: number
  meanMs: number
  p95Ms: number
  maxMs: number
  over50: number
  scrolledPx: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
/** Nearest rank. */
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!
const round = (n: number, d = 1) => Number(n.toFixed(d))

/** The server process with what the helpers here take from a test server. */
type BenchServer = ServerProcess & { authHeaders: Record<string, string> }

/** Spans posted to the server so far: what it must have stored before a trace is opened. */
let sentSpans = 0

async function seedHuge(
  server: BenchServer,
  seed: string,
  spans: number,
): Promise<{ traceId: string; seconds: number }> {
  const started = performance.now()
  for (const body of makeHugeTrace(seed, Date.now() - 30 * 60_000, spans)) await postOtlp(server, body)
  sentSpans += spans
  await waitStored(server, sentSpans)
  await waitResolved(server)
  return { traceId: traceIdFor(seed), seconds: (performance.now() - started) / 1000 }
}

/** CPU seconds the server process has used (user + system, from /proc). */
function serverCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * Seconds until the server is idle (under 5 % of a core for two half-seconds in a row): the engine
 * merges the parts the seeding wrote in the server's own threads, and opens should measure opening a
 * trace, not opening it while 50k spans just sent are merged.
 */
async function serverIdle(server: BenchServer): Promise<number> {
  const started = performance.now()
  let quiet = 0
  let cpu = serverCpuSeconds(server.pid)
  while (quiet < 2 && performance.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const now = serverCpuSeconds(server.pid)
    quiet = now - cpu <= 0.025 ? quiet + 1 : 0
    cpu = now
  }
  return (performance.now() - started) / 1000
}

/**
 * Pings `/healthz` every 10 ms, one at a time, until stopped, and gives the longest wait: a trace's
 * read that blocks the server's event loop holds every other request, OTLP acknowledgements included.
 */
function watchStalls(url: string): { stop(): Promise<number> } {
  let running = true
  let longest = 0
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      await fetch(`${url}/healthz`).then((res) => res.arrayBuffer())
      longest = Math.max(longest, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return longest
    },
  }
}

async function measureOpen(page: Page, server: BenchServer, traceIds: readonly string[]): Promise<OpenResult> {
  const stalls = watchStalls(server.url)
  const times: number[] = []
  const completeTimes: number[] = []
  let headFirst = 0
  const fetchStart: number[] = []
  const fetchEnd: number[] = []
  const validate: number[] = []
  const jsonMs: number[] = []
  const modelMs: number[] = []
  const decodeMs: number[] = []
  let skeletonBytes = 0
  for (const traceId of traceIds) {
    await page.goto(`${server.url}/traces/${traceId}`, { waitUntil: 'commit' })
    const marks = await traceOpenMarks(page, 300_000)
    times.push(marks.paintedAt)
    completeTimes.push(marks.completeAt)
    if (marks.headShown) headFirst++
    const entry = await page.evaluate((id) => {
      const fetched = performance.getEntriesByType('resource').filter((r) => r.name.includes(`${id}/skeleton`))
      const e = fetched[0] as PerformanceResourceTiming | undefined
      // No named helpers in here: tsx would wrap them in `__name`, which the page does not have.
      let validate = 0
      let model = 0
      let json = 0
      let decode = 0
      for (const m of performance.getEntriesByType('measure')) {
        if (m.name === 'sightline.api.json') json = Math.max(json, m.duration)
        if (m.name === 'sightline.api.validate') validate = Math.max(validate, m.duration)
        if (m.name === 'sightline.trace.model') model = Math.max(model, m.duration)
        if (m.name === 'sightline.trace.decode') decode = Math.max(decode, m.duration)
      }
      // A request after the first that was not a retry of a 429/503: the preload was not taken over.
      let requests = fetched.length > 0 ? 1 : 0
      for (let r = 1; r < fetched.length; r++)
        if (![429, 503].includes((fetched[r - 1] as PerformanceResourceTiming).responseStatus)) requests++
      return e
        ? {
            start: e.requestStart,
            end: e.responseEnd,
            bytes: e.encodedBodySize,
            json,
            validate,
            decode,
            model,
            requests,
          }
        : { start: 0, end: 0, bytes: 0, json: 0, validate: 0, decode: 0, model: 0, requests }
    }, traceId)
    // The server's preload (routes/console.ts) and main.tsx's request should be one (retries aside).
    if (entry.requests !== 1) console.warn(`${traceId}: the skeleton was requested ${entry.requests} times`)
    fetchStart.push(entry.start)
    fetchEnd.push(entry.end)
    skeletonBytes = entry.bytes
    validate.push(entry.validate)
    jsonMs.push(entry.json)
    modelMs.push(entry.model)
    decodeMs.push(entry.decode)
  }
  const domRows = await page.locator('.timeline-row[data-span-id]').count()
  const stallMaxMs = round(await stalls.stop(), 0)
  return {
    stallMaxMs,
    firstMs: round(times[0]!, 0),
    medianMs: round(median(times), 0),
    p95Ms: round(p95(times), 0),
    skeletonBytes,
    domRows,
    completeMedianMs: round(median(completeTimes), 0),
    completeP95Ms: round(p95(completeTimes), 0),
    headFirst,
    fetchStartMs: round(median(fetchStart), 0),
    fetchEndMs: round(median(fetchEnd), 0),
    jsonMs: round(median(jsonMs), 0),
    validateMs: round(median(validate), 0),
    decodeMs: round(median(decodeMs), 0),
    modelMs: round(median(modelMs), 0),
  }
}

async function measureScroll(page: Page): Promise<ScrollResult> {
  return page.getByTestId('timeline-scroll').evaluate(async (el) => {
    const steps = 300
    const max = el.scrollHeight - el.clientHeight
    const deltas: number[] = []
    let last = performance.now()
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = (max * i) / steps
      await new Promise((r) => requestAnimationFrame(() => r(null)))
      const now = performance.now()
      deltas.push(now - last)
      last = now
    }
    deltas.sort((a, b) => a - b)
    const mean = deltas.reduce((s, d) => s + d, 0) / deltas.length
    return {
      frames: deltas.length,
      meanMs: mean,
      p95Ms: deltas[Math.floor(deltas.length * 0.95)]!,
      maxMs: deltas[deltas.length - 1]!,
      over50: deltas.filter((d) => d > 50).length,
      scrolledPx: max,
    }
  })
}

function initialJsGzip(): { files: string[]; gzipBytes: number } {
  const dist = path.join(WEB_ROOT, 'dist')
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!)
  const gzipBytes = files.reduce(
    (sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length,
    0,
  )
  return { files, gzipBytes }
}

function writeSection(text: string): void {
  const existing = fs.existsSync(BENCH_FILE) ? fs.readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n'
  const start = existing.search(/^## Console\b/m)
  if (start < 0) {
    fs.writeFileSync(BENCH_FILE, `${existing.trimEnd()}\n\n${text}`)
    return
  }
  const rest = existing.slice(start + 1)
  const next = rest.search(/^## /m)
  const end = next < 0 ? existing.length : start + 1 + next
  fs.writeFileSync(BENCH_FILE, `${existing.slice(0, start)}${text}${next < 0 ? '' : `\n${existing.slice(end)}`}`)
}

async function main(): Promise<void> {
  await ensureConsoleBuilt()
  const js = initialJsGzip()
  const server: BenchServer = {
    ...(await startServerProcess('trace-view')),
    authHeaders: AUTH,
  }
  const browser = await launchChromium()
  const loadBefore = os.loadavg()[0]!
  const results: Array<{
    spans: number
    seedSeconds: number
    open: OpenResult
    reopen: OpenResult
    scroll: ScrollResult
  }> = []
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await watchTraceOpens(page)
    await signIn(page, server, BENCH_API_KEY)
    for (const spans of SIZES) {
      const traceIds: string[] = []
      let seconds = 0
      for (let i = 0; i < LOADS; i++) {
        const seeded = await seedHuge(server, `bench-${spans}-${i}`, spans)
        traceIds.push(seeded.traceId)
        seconds += seeded.seconds
      }
      console.log(`seeded ${LOADS} traces of ${spans} spans in ${seconds.toFixed(1)} s`)
      console.log(`server idle after ${(await serverIdle(server)).toFixed(1)} s more`)
      const open = await measureOpen(page, server, traceIds)
      const reopen = await measureOpen(
        page,
        server,
        traceIds.slice(-1).flatMap((id) => Array(LOADS).fill(id)),
      )
      const scroll = await measureScroll(page)
      console.log(spans, { open, reopen }, scroll)
      results.push({ spans, seedSeconds: seconds / LOADS, open, reopen, scroll })
    }
  } finally {
    await browser.close()
    await server.stop()
    removeDataDir(server.dataDir)
  }
  const chromiumVersion = browser.version()
  const loadAfter = os.loadavg()[0]!
  const rows = results.map(
    (r) =>
      `| ${r.spans.toLocaleString('en-US')} | ${(r.open.skeletonBytes / 1e6).toFixed(1)} MB | ${r.open.medianMs} ` +
      `/ ${r.open.p95Ms} ms (first ${r.open.firstMs} ms) | ${r.open.headFirst} of ${LOADS} ` +
      `| ${r.open.completeMedianMs} / ${r.open.completeP95Ms} ms | ${r.reopen.medianMs} / ${r.reopen.p95Ms} ms ` +
      `| ${r.open.fetchStartMs} → ${r.open.fetchEndMs} ms ` +
      `| ${r.open.jsonMs} / ${r.open.validateMs} / ${r.open.decodeMs} / ${r.open.modelMs} ms | ${r.open.domRows} ` +
      `| ${round(r.scroll.meanMs)} / ${round(r.scroll.p95Ms)} / ${round(r.scroll.maxMs)} ms | ${r.scroll.over50} ` +
      `of ${r.scroll.frames} | ${(r.scroll.scrolledPx / 1e6).toFixed(2)} M px | ${r.open.stallMaxMs} ms |`,
  )
  writeSection(
    [
      `## Console`,
      ``,
      `Measured by \`pnpm bench:web\` (\`apps/web/bench/trace-view.bench.ts\`) ` +
        `on ${new Date().toISOString().slice(0, 10)}: real server with the`,
      `embedded store, the production build, headless Chromium ${chromiumVersion} (\`/usr/bin/chromium\`), ` +
        `viewport 1440×900,`,
      `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}. ` +
        `Traces are agent loops (an orchestrator with sub-agent`,
      `groups of 1 agent + 1 LLM + 3 tool spans), seeded through OTLP/JSON in batches of 5,000 spans. ` +
        `The server and the`,
      `browser share the machine; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} ` +
        `after the run (other`,
      `processes included), so compare runs at similar load.`,
      ``,
      `Open = navigation start → the animation frame that paints the first timeline rows. ` +
        `The page asks for the skeleton in lines (\`?head=${TRACE_VIEW_HEAD_SPANS}\`): when the server has the ` +
        `trace's first ${TRACE_VIEW_HEAD_SPANS.toLocaleString('en-US')} spans before the whole, it sends them first ` +
        `and the page draws them ("from the head"); ` +
        `"whole trace drawn" is until the rows of the whole trace are painted (skeleton in columns, parse, ` +
        `validation, columns → spans, tree + critical path, render), the same as the open when no head came. ` +
        `p50 / p95 over ${LOADS} traces of each size, each opened once; re-open = the last of them opened ` +
        `${LOADS} times more (the server keeps a ` +
        `trace's resolution while nothing new arrives). The breakdown is of the first opens. ` +
        `Scroll = 300 programmatic scroll steps over the whole timeline, one per animation frame. Server stall = ` +
        `the longest a \`/healthz\` request (sent every 10 ms during the first opens) waited: while the server ` +
        `resolves or encodes a trace in one block it answers nobody else, OTLP acknowledgements included.`,
      ``,
      `| Spans | Skeleton payload (gzip) | Open p50 / p95 (target 0.5 s at 10k, 1.5 s at 100k) | Opens drawn from ` +
        `the head | Whole trace drawn p50 / p95 | Re-open p50 / p95 ` +
        `| Skeleton request → response end | JSON.parse / validate / decode / tree + critical path + badges | Rows ` +
        `in DOM | Frame mean / p95 / max | Frames > 50 ms | Scrolled | Longest server stall in the opens |`,
      `|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
      `${rows.join('\n')}`,
      ``,
      `Initial JS (entry + preloaded chunks, gzip -9): **${(js.gzipBytes / 1024).toFixed(1)} KB** (target ≤ 300 ` +
        `KB): ${js.files.map((f) => `\`${path.basename(f)}\``).join(', ')}.`,
      `The trace view, session and compare pages load on demand (\`src/pages.ts\`; the trace view is preloaded).`,
      ``,
    ].join('\n'),
  )
  console.log(`wrote the Console section of ${BENCH_FILE}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
