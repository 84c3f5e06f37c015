/**
 * What trace resolution costs, next to the insert it follows. Realistic rows (the bench generator's
 * OTLP requests through the real decode → normalise → price → storability path, serialised as the
 * writer does) are inserted into `spans` in 10k-row batches (A: the loader's work), then every trace
 * is resolved with the real resolver in its batches of 500 (R: read the spans back, resolve, write
 * `traces`, whose views fill the rollups). Then the same again with every trace's last span 8 h
 * after the rest (W: long-running runs, which the resolver cannot read in one short time range).
 * Rounds use fresh data; medians reported. Writes BENCHMARKS.md "Trace resolution".
 */
import fs from 'node:fs'
import type { SpanRowInsert } from '@sightline/schema'
import os from 'node:os'
import path from 'node:path'
import { ResolutionRepository } from '../../src/db/repositories/resolution.js'
import { PriceOverrideRepository } from '../../src/db/repositories/prices.js'
import { chTime, chTimeToMs, sql, str } from '../../src/db/sql.js'
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
/** W's traces: the last span of each this much later than the rest. */
const LATE_MS = 8 * 3_600_000
const log = (msg: string) => process.stderr.write(`${msg}\n`)

/** A DateTime64(9) text `ms` later. */
const later = (time: string, ms: number) => chTime(chTimeToMs(time) + ms) + time.slice(23)

/**
 * One round's rows in `project` (a fresh project per round, so each round resolves only its own traces); with
 * `lateMs`, each trace's last span that much later.
 */
function prepareBatches(
  project: string,
  seed: number,
  lateMs = 0,
): { batches: Buffer[]; rows: number; bytes: number; traceIds: string[] } {
  const spanRows: SpanRowInsert[] = []
  for (const generated of generateRequests({
    seed,
    spans: SPANS,
    spansPerRequest: 500,
    windowStartMs: Date.parse('2026-03-01T00:00:00Z'),
    windowEndMs: Date.parse('2026-03-01T06:00:00Z'),
  })) {
    const { rows } = rowsFromBody(encodeProtobuf(generated.request), 'protobuf', {
      projectId: project,
      maxAttributeValueBytes: 1024 * 1024,
    })
    spanRows.push(...rows)
  }
  const last = new Map(spanRows.map((row, i) => [row.trace_id, i]))
  if (lateMs > 0)
    for (const i of last.values()) {
      const row = spanRows[i]!
      spanRows[i] = { ...row, start_time: later(row.start_time, lateMs), end_time: later(row.end_time, lateMs) }
    }
  const rows = spanRows.map((row) => JSON.stringify(row))
  const batches: Buffer[] = []
  for (let i = 0; i < rows.length; i += BATCH_ROWS)
    batches.push(Buffer.from(rows.slice(i, i + BATCH_ROWS).join('\n') + '\n'))
  return { batches, rows: rows.length, bytes: batches.reduce((a, b) => a + b.length, 0), traceIds: [...last.keys()] }
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
  const wide: number[] = []
  let rows = 0
  let bytes = 0
  let traces = 0
  /** Inserts one round's rows and resolves them as the resolver does; returns [insert s, resolve s]. */
  const round = async (project: string, data: ReturnType<typeof prepareBatches>): Promise<[number, number]> => {
    let started = performance.now()
    for (let i = 0; i < data.batches.length; i++)
      await store.insertJsonEachRow('spans', data.batches[i]!, `rc-${project}-${i}`)
    const inserted = (performance.now() - started) / 1000
    started = performance.now()
    for (let i = 0; i < data.traceIds.length; i += DEFAULT_RESOLVER_OPTIONS.batchSize) {
      await resolver.resolveBatch(project, data.traceIds.slice(i, i + DEFAULT_RESOLVER_OPTIONS.batchSize))
    }
    const resolved = (performance.now() - started) / 1000
    const [stored] = await store.query<{ n: string }>(
      sql`SELECT count() AS n FROM traces FINAL WHERE project_id = ${str(project)}`,
    )
    if (Number(stored?.n) !== data.traceIds.length)
      throw new Error(`${project}: resolved ${stored?.n} of ${data.traceIds.length} traces`)
    return [inserted, resolved]
  }
  for (let r = 0; r < ROUNDS; r++) {
    const data = prepareBatches(`bench_${r}`, 42 + r)
    ;[rows, bytes, traces] = [data.rows, data.bytes, data.traceIds.length]
    const [a, b] = await round(`bench_${r}`, data)
    insert.push(a)
    resolve.push(b)
    const [, w] = await round(`bench_wide_${r}`, prepareBatches(`bench_wide_${r}`, 42 + r, LATE_MS))
    wide.push(w)
    log(
      `round ${r}: insert ${(rows / a).toFixed(0)} spans/s, resolve ${(traces / b).toFixed(0)} traces/s ` +
        `(${(rows / b).toFixed(0)} spans/s), long-running ${(traces / w).toFixed(0)} traces/s`,
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
    `| W: R again, each trace's last span ${LATE_MS / 3_600_000} h after the rest (long-running runs) ` +
      `| ${median(wide).toFixed(2)} | ${(traces / median(wide)).toFixed(0)} traces/s |`,
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
