/**
 * What trace resolution costs, next to the insert it follows. Realistic rows (the bench generator's
 * OTLP requests through the real decode → normalise → price → storability path, serialised as the
 * writer does) are inserted into `spans` in 10k-row batches (A: the loader's work), then every trace
 * is resolved with the real resolver in its batches of 500 (R: read the spans back, resolve, write
 * `traces`, whose views fill the rollups). Rounds use fresh data; medians reported. Writes
 * BENCHMARKS.md "Trace resolution".
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ResolutionRepository } from '../../src/db/repositories/resolution.js'
import { PriceOverrideRepository } from '../../src/db/repositories/prices.js'
import { sql, str } from '../../src/db/sql.js'
import { createLogger } from '../../src/logger.js'
import { createMetrics } from '../../src/metrics.js'
import { rowsFromBody } from '../../src/otlp/rows-from-body.js'
import { PriceOverrideLookup } from '../../src/resolve/overrides.js'
import { DEFAULT_RESOLVER_OPTIONS, TraceResolver } from '../../src/resolve/resolver.js'
import { encodeProtobuf, generateRequests } from '../generator.js'
import { machineLine, openStore, recordEngine, writeSection } from './shared.js'

const SPANS = Number(process.env.BENCH_RESOLVE_SPANS ?? 60_000)
const ROUNDS = Number(process.env.BENCH_RESOLVE_ROUNDS ?? 3)
const BATCH_ROWS = 10_000
const log = (msg: string) => process.stderr.write(`${msg}\n`)

/** One round's rows in `project` (a fresh project per round, so each round resolves only its own traces). */
function prepareBatches(
  project: string,
  seed: number,
): { batches: Buffer[]; rows: number; bytes: number; traceIds: string[] } {
  const rows: string[] = []
  const traces = new Set<string>()
  for (const generated of generateRequests({
    seed,
    spans: SPANS,
    spansPerRequest: 500,
    windowStartMs: Date.parse('2026-03-01T00:00:00Z'),
    windowEndMs: Date.parse('2026-03-01T06:00:00Z'),
  })) {
    const { rows: spanRows } = rowsFromBody(encodeProtobuf(generated.request), 'protobuf', {
      projectId: project,
      maxAttributeValueBytes: 1024 * 1024,
    })
    for (const row of spanRows) {
      rows.push(JSON.stringify(row))
      traces.add(row.trace_id)
    }
  }
  const batches: Buffer[] = []
  for (let i = 0; i < rows.length; i += BATCH_ROWS)
    batches.push(Buffer.from(rows.slice(i, i + BATCH_ROWS).join('\n') + '\n'))
  return { batches, rows: rows.length, bytes: batches.reduce((a, b) => a + b.length, 0), traceIds: [...traces] }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-resolvecost-'))
  const store = await openStore(dataDir)
  await recordEngine(store)
  const resolver = new TraceResolver(
    new ResolutionRepository(store),
    new PriceOverrideLookup(new PriceOverrideRepository(store)),
    createMetrics(),
    createLogger('warn'),
    { held: true },
    DEFAULT_RESOLVER_OPTIONS,
  )
  const insert: number[] = []
  const resolve: number[] = []
  let rows = 0
  let bytes = 0
  let traces = 0
  for (let round = 0; round < ROUNDS; round++) {
    const project = `bench_${round}`
    const data = prepareBatches(project, 42 + round)
    ;[rows, bytes, traces] = [data.rows, data.bytes, data.traceIds.length]
    let started = performance.now()
    for (let i = 0; i < data.batches.length; i++)
      await store.insertJsonEachRow('spans', data.batches[i]!, `rc-${round}-${i}`)
    insert.push((performance.now() - started) / 1000)
    started = performance.now()
    for (let i = 0; i < data.traceIds.length; i += DEFAULT_RESOLVER_OPTIONS.batchSize) {
      await resolver.resolveBatch(project, data.traceIds.slice(i, i + DEFAULT_RESOLVER_OPTIONS.batchSize))
    }
    resolve.push((performance.now() - started) / 1000)
    const [stored] = await store.query<{ n: string }>(
      sql`SELECT count() AS n FROM traces FINAL WHERE project_id = ${str(project)}`,
    )
    if (Number(stored?.n) !== traces) throw new Error(`resolved ${stored?.n} of ${traces} traces`)
    log(
      `round ${round}: insert ${(rows / insert[round]!).toFixed(0)} spans/s, ` +
        `resolve ${(traces / resolve[round]!).toFixed(0)} traces/s (${(rows / resolve[round]!).toFixed(0)} spans/s)`,
    )
  }
  await store.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  const ratios = resolve.map((r, i) => r / (insert[i] ?? NaN))
  const section = [
    `Command: \`BENCH_RESOLVE_SPANS=${SPANS} node --conditions=@sightline/source --import tsx ` +
      `apps/ingest/bench/dashboard/resolver-cost.ts\` (the last step of \`pnpm bench\`), ${ROUNDS} rounds on fresh ` +
      `data, median reported.`,
    `Machine: ${await machineLine()}.`,
    '',
    `${rows.toLocaleString('en')} realistic span rows in ${traces.toLocaleString('en')} traces per round (bench ` +
      `generator → decode → normalise → price → storability; ${(bytes / rows).toFixed(0)} B/row of JSONEachRow).`,
    '',
    '| step | seconds (median) | rate |',
    '|---|---|---|',
    `| A: insert into \`spans\` (10k-row batches, the loader's call) ` +
      `| ${median(insert).toFixed(2)} | ${(rows / median(insert)).toFixed(0)} spans/s |`,
    `| R: resolve every trace (batches of ${DEFAULT_RESOLVER_OPTIONS.batchSize}: read spans and current states, ` +
      `resolve, write \`traces\` + rollups) ` +
      `| ${median(resolve).toFixed(2)} | ${(traces / median(resolve)).toFixed(0)} ` +
      `traces/s, ${(rows / median(resolve)).toFixed(0)} spans/s |`,
    '',
    `Resolution costs **${median(ratios).toFixed(2)}×** the insert it follows (median of per-round R÷A; ` +
      `per round ${ratios.map((r) => r.toFixed(2)).join(', ')}). On a live server the two run side by side on the ` +
      `same cores; the end-to-end figures of "Ingest and query" include it.`,
  ].join('\n')
  process.stdout.write(`${section}\n`)
  if (process.env.BENCH_WRITE_REPORT !== '0') writeSection('Trace resolution', section)
}

await main()
process.exit(0)
