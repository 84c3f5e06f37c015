/**
 * What the rollup MV costs the ingest path. Realistic rows (the bench generator's OTLP requests
 * through the real decode → normalise → price path, serialised as the writer does) are inserted in
 * 10k-row batches into fresh copies of `spans`, in one process:
 *   A  no materialised views;
 *   B  trace_index_mv only (the ingest path before rollups);
 *   C  trace_index_mv + agg_5m_mv + the chained agg_1h_mv (today).
 * Rounds rotate the order; the median per variant is reported. Writes BENCHMARKS.md "Rollups".
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { splitStatements } from '../../src/db/migrate.js'
import { decodeExportRequest } from '../../src/otlp/decode.js'
import { normalizeExportRequest } from '../../src/otlp/normalize/index.js'
import { priceRows } from '../../src/pricing/price-spans.js'
import { encodeProtobuf, generateRequests } from '../generator.js'
import { machineLine, openStore, recordEngine, writeSection } from './shared.js'

const SPANS = Number(process.env.BENCH_MV_SPANS ?? 60_000)
const ROUNDS = Number(process.env.BENCH_MV_ROUNDS ?? 3)
const BATCH_ROWS = 10_000
const log = (msg: string) => process.stderr.write(`${msg}\n`)

function migrationText(file: string): string {
  const require = createRequire(import.meta.url)
  return fs.readFileSync(path.join(path.dirname(require.resolve('@sightline/schema/migrations/0001_spans.sql')), file), 'utf8')
}

/** The production DDL with table names suffixed, so each variant gets fresh tables. */
function ddl(variant: 'a' | 'b' | 'c', round: number): string[] {
  const s = `_${variant}${round}`
  const out = [`CREATE TABLE mvb_spans${s} AS spans`]
  if (variant !== 'a') {
    out.push(...splitStatements(migrationText('0002_trace_index.sql').replaceAll('trace_index', `mvb_trace_index${s}`).replace('FROM spans', `FROM mvb_spans${s}`)))
  }
  if (variant === 'c') {
    out.push(...splitStatements(migrationText('0005_rollups.sql').replaceAll('agg_5m', `mvb_agg${s}`).replace('FROM spans AS s', `FROM mvb_spans${s} AS s`)))
    out.push(...splitStatements(migrationText('0008_rollups_hourly.sql').replaceAll('agg_1h', `mvb_agg1h${s}`).replaceAll('agg_5m', `mvb_agg${s}`)))
  }
  return out
}

function prepareBatches(): { batches: Buffer[]; rows: number; bytes: number } {
  const rows: string[] = []
  for (const generated of generateRequests({ seed: 42, spans: SPANS, spansPerRequest: 500, windowStartMs: Date.parse('2026-03-01T00:00:00Z'), windowEndMs: Date.parse('2026-03-01T06:00:00Z') })) {
    const decoded = decodeExportRequest(encodeProtobuf(generated.request), 'protobuf')
    const { rows: spanRows } = normalizeExportRequest(decoded, { projectId: 'default', maxAttributeValueBytes: 1024 * 1024 })
    priceRows(spanRows)
    for (const row of spanRows) rows.push(JSON.stringify(row))
  }
  const batches: Buffer[] = []
  for (let i = 0; i < rows.length; i += BATCH_ROWS) batches.push(Buffer.from(rows.slice(i, i + BATCH_ROWS).join('\n') + '\n'))
  return { batches, rows: rows.length, bytes: batches.reduce((a, b) => a + b.length, 0) }
}

/** Measured once by hand in chDB 26.7.2 (see the agg_5m migration header); not re-run by this script. */
const DESIGN_NOTES = [
  'Run-to-run spread on the shared 2-core machine is about ±20 %: read a ratio inside that band as "not measurable".',
  '',
  'Insert deduplication and the MV (chDB 26.7.2, engine defaults `insert_deduplicate=1`, `deduplicate_insert=enable`,',
  '`deduplicate_blocks_in_dependent_materialized_views=1`; `agg_5m` has `non_replicated_deduplication_window=10000`):',
  '- same block, same `insert_deduplication_token` again: `spans` and `agg_5m` both skip it (no double count);',
  '- block stored in `spans` while the MV was detached (stand-in for a crash between the two writes), then replayed with the',
  '  same token: `spans` skips it and `agg_5m` receives it once (the MV block is deduplicated on its own);',
  '- the same spans under a NEW token: `spans` collapses them at merge, `agg_5m` counts them twice. Only the writer\'s',
  '  span-id window prevents that.',
  '',
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-mvcost-'))
  const store = await openStore(dataDir)
  await recordEngine(store)
  const { batches, rows, bytes } = prepareBatches()
  log(`${rows} rows, ${(bytes / 1e6).toFixed(0)} MB of JSONEachRow in ${batches.length} batches`)
  const seconds: Record<'a' | 'b' | 'c', number[]> = { a: [], b: [], c: [] }
  const orders: Array<Array<'a' | 'b' | 'c'>> = [['a', 'b', 'c'], ['c', 'a', 'b'], ['b', 'c', 'a']]
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of orders[round % orders.length]!) {
      for (const statement of ddl(variant, round)) await store.client.command({ query: statement })
      const started = performance.now()
      for (let i = 0; i < batches.length; i++) await store.insertJsonEachRow(`mvb_spans_${variant}${round}`, batches[i]!, `mvb-${variant}${round}-${i}`)
      const s = (performance.now() - started) / 1000
      seconds[variant].push(s)
      log(`round ${round} ${variant}: ${(rows / s).toFixed(0)} rows/s`)
    }
  }
  await store.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  const rate = (v: 'a' | 'b' | 'c') => rows / median(seconds[v])
  const section = [
    `Command: \`BENCH_MV_SPANS=${SPANS} node --conditions=@sightline/source --import tsx apps/ingest/bench/dashboard/mv-cost.ts\` (the last step of \`pnpm bench\`, and part of \`pnpm bench:dashboard\`), ${ROUNDS} rounds, fresh tables per round, median reported.`,
    `Machine: ${await machineLine()}.`,
    '',
    `${rows.toLocaleString('en')} realistic span rows (bench generator → decode → normalise → price; ${(bytes / rows).toFixed(0)} B/row of JSONEachRow), inserted in ${BATCH_ROWS.toLocaleString('en')}-row batches with \`rawInsert\` (the writer itself inserts the compact form of the same rows; the views cost the same either way).`,
    '',
    '| Variant | rows/s (median) | insert time vs A | vs B |',
    '|---|---|---|---|',
    `| A: spans, no MV | ${rate('a').toFixed(0)} | 1.00× | — |`,
    `| B: spans + trace_index_mv (before rollups) | ${rate('b').toFixed(0)} | ${(median(seconds.b) / median(seconds.a)).toFixed(2)}× | 1.00× |`,
    `| C: spans + trace_index_mv + agg_5m_mv + agg_1h_mv | ${rate('c').toFixed(0)} | ${(median(seconds.c) / median(seconds.a)).toFixed(2)}× | **${(median(seconds.c) / median(seconds.b)).toFixed(2)}×** |`,
    '',
    `Median of the per-round ratios (same round, adjacent runs; more robust to drift on a shared machine): C÷B **${median(seconds.c.map((c, i) => c / (seconds.b[i] ?? NaN))).toFixed(2)}×**, C÷A ${median(seconds.c.map((c, i) => c / (seconds.a[i] ?? NaN))).toFixed(2)}×.`,
    '',
    `Per-round seconds: A ${seconds.a.map((s) => s.toFixed(2)).join(', ')}; B ${seconds.b.map((s) => s.toFixed(2)).join(', ')}; C ${seconds.c.map((s) => s.toFixed(2)).join(', ')}.`,
    '',
    ...DESIGN_NOTES,
  ].join('\n')
  process.stdout.write(`${section}\n`)
  if (process.env.BENCH_WRITE_REPORT !== '0') writeSection('Rollups', section)
}

await main()
process.exit(0)
