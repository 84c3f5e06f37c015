/**
 * The same span rows inserted into `spans` in each format the writer could spool, in one process
 * and alternating rounds (the machine's load moves between runs): the encode cost in JS and the
 * insert's wall and CPU time (process.cpuUsage counts chDB's threads, it runs in this process).
 *
 * Command: `node --conditions=@sightline/source --import tsx bench/insert-formats.ts` from
 * apps/ingest; `BENCH_SPANS` (default 100000), `BENCH_ROUNDS` (default 2).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SPAN_INSERT_COLUMNS, type SpanRowInsert } from '@sightline/schema'
import { createStore } from '../src/db/client.js'
import { migrate } from '../src/db/migrate.js'
import { sql } from '../src/db/sql.js'
import { parseEnv } from '../src/env.js'
import { encodeSpanRows } from '../src/ingest/segment-format.js'
import { createLogger } from '../src/logger.js'
import { decodeExportRequest } from '../src/otlp/decode.js'
import { normalizeExportRequest } from '../src/otlp/normalize/index.js'
import { priceRows } from '../src/pricing/price-spans.js'
import { encodeProtobuf, generateRequests } from './generator.js'

const spans = Number(process.env.BENCH_SPANS ?? 100_000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 2)
const BATCH_BYTES = 16 * 1024 * 1024

const requests: SpanRowInsert[][] = []
const now = Date.now()
for (const generated of generateRequests({
  seed: 20_261_123,
  spans,
  spansPerRequest: 100,
  windowStartMs: now - 3_600_000,
  windowEndMs: now,
})) {
  const { rows } = normalizeExportRequest(decodeExportRequest(encodeProtobuf(generated.request), 'protobuf'), {
    projectId: 'default',
    maxAttributeValueBytes: 1024 * 1024,
  })
  priceRows(rows)
  requests.push(rows)
}
const rowCount = requests.reduce((n, r) => n + r.length, 0)

type Format = 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated'
const encoders: Record<Format, (rows: SpanRowInsert[]) => Buffer> = {
  JSONEachRow: (rows) => Buffer.concat(rows.map((row) => Buffer.from(`${JSON.stringify(row)}\n`))),
  // The spool's format before TabSeparated: one array of values per row.
  JSONCompactEachRow: (rows) =>
    Buffer.concat(rows.map((row) => Buffer.from(`${JSON.stringify(SPAN_INSERT_COLUMNS.map((c) => row[c]))}\n`))),
  TabSeparated: encodeSpanRows,
}

function batchesOf(format: Format): { batches: Buffer[]; encodeMs: number; bytes: number } {
  const started = performance.now()
  const parts = requests.map(encoders[format])
  const encodeMs = performance.now() - started
  const batches: Buffer[] = []
  let current: Buffer[] = []
  let size = 0
  for (const part of parts) {
    current.push(part)
    size += part.length
    if (size >= BATCH_BYTES) {
      batches.push(Buffer.concat(current))
      current = []
      size = 0
    }
  }
  if (current.length > 0) batches.push(Buffer.concat(current))
  return { batches, encodeMs, bytes: parts.reduce((n, p) => n + p.length, 0) }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-formats-'))
const store = createStore(parseEnv({ SIGHTLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }))
await migrate(store, createLogger('warn'))
const formats: Format[] = ['JSONEachRow', 'JSONCompactEachRow', 'TabSeparated']
const encoded = Object.fromEntries(formats.map((f) => [f, batchesOf(f)])) as Record<
  Format,
  ReturnType<typeof batchesOf>
>
console.log(
  `${rowCount} rows; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
for (let round = 0; round < rounds; round++) {
  for (const format of formats) {
    await store.command(sql`TRUNCATE TABLE spans`)
    const { batches, encodeMs, bytes } = encoded[format]
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < batches.length; i++) {
      const token = `fmt-${round}-${format}-${i}`
      if (format === 'JSONEachRow') await store.insertJsonEachRow('spans', batches[i]!, token)
      else await store.insertValues('spans', SPAN_INSERT_COLUMNS, format, batches[i]!, token)
    }
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    const [count] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM spans`)
    console.log(
      [
        `round ${round} ${format.padEnd(18)}`,
        `${(bytes / rowCount).toFixed(0)} B/row`,
        `encode ${((encodeMs * 1000) / rowCount).toFixed(1)} µs/row`,
        `insert ${seconds.toFixed(2)} s = ${Math.round(rowCount / seconds)} rows/s`,
        `CPU ${(((used.user + used.system) / rowCount) | 0).toString()} µs/row`,
        `stored ${count?.n}`,
      ].join(' | '),
    )
  }
}
await store.close()
fs.rmSync(dataDir, { recursive: true, force: true })
