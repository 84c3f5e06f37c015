/**
 * Child process that owns one chDB (one data directory per process). Two jobs:
 *  - `baseline`: rebuild the same requests from the seed, turn them into rows through the real
 *    decode → normalise → price path, serialise them, then time
 *    raw inserts of those rows into a freshly migrated `spans` table in spool-segment-sized batches,
 *    as JSONEachRow objects (the baseline) or in the writer's own format (TabSeparated);
 *  - `inspect`: open a stopped server's data dir and count what it stored.
 * Prints one line `RESULT {json}`.
 */
process.env.UV_THREADPOOL_SIZE ??= '16'

const { parseEnv } = await import('../src/env.js')
const { createStore } = await import('../src/db/client.js')
const { migrate } = await import('../src/db/migrate.js')
const { createLogger } = await import('../src/logger.js')
const { sql } = await import('../src/db/sql.js')
const { decodeExportRequest } = await import('../src/otlp/decode.js')
const { normalizeExportRequest } = await import('../src/otlp/normalize/index.js')
const { priceRows } = await import('../src/pricing/price-spans.js')
const { encodeSpanRows } = await import('../src/ingest/segment-format.js')
const { SPAN_INSERT_COLUMNS } = await import('@sightline/schema')
const { generateRequests, encodeProtobuf } = await import('./generator.js')
const fs = await import('node:fs')

export interface BaselineJob {
  job: 'baseline'
  dataDir: string
  gen: import('./generator.js').GenOptions
  batchBytes: number
  /** JSONEachRow objects (the baseline), or the writer's own segment format. */
  format: 'JSONEachRow' | 'TabSeparated'
}
export interface InspectJob {
  job: 'inspect'
  dataDir: string
}
export interface BaselineResult {
  spans: number
  batches: number
  jsonBytes: number
  prepSeconds: number
  insertSeconds: number
  /** CPU of this process (every thread: the engine's parse, indexes, views, compression) per span inserted, µs. */
  insertCpuMicrosPerSpan: number
  spansPerSecond: number
  mbPerSecond: number
  stored: number
  peakRss: number
  chdbEngineVersion: string
}
export interface InspectResult {
  count: number
  uniqueSpans: number
  traces: number
  bytesOnDisk: number
  uncompressedBytes: number
  parts: number
}

function peakRss(): number {
  const status = fs.readFileSync('/proc/self/status', 'utf8')
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024
}

async function openStore(dataDir: string) {
  const env = parseEnv({ SIGHTLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
  const store = createStore(env)
  await migrate(store, createLogger('warn'))
  return store
}

async function baseline(job: BaselineJob): Promise<BaselineResult> {
  const prepStart = performance.now()
  const batches: Buffer[] = []
  let current: Buffer[] = []
  let currentBytes = 0
  let spans = 0
  let jsonBytes = 0
  for (const generated of generateRequests(job.gen)) {
    const body = encodeProtobuf(generated.request)
    const { rows } = normalizeExportRequest(decodeExportRequest(body, 'protobuf'), {
      projectId: 'default',
      maxAttributeValueBytes: 1024 * 1024,
    })
    priceRows(rows)
    const data =
      job.format === 'TabSeparated'
        ? encodeSpanRows(rows)
        : Buffer.concat(rows.map((row) => Buffer.from(`${JSON.stringify(row)}\n`)))
    spans += rows.length
    jsonBytes += data.length
    current.push(data)
    currentBytes += data.length
    // The spool seals a segment once a commit takes it to the segment size.
    if (currentBytes >= job.batchBytes) {
      batches.push(Buffer.concat(current))
      current = []
      currentBytes = 0
    }
  }
  if (current.length > 0) batches.push(Buffer.concat(current))
  const prepSeconds = (performance.now() - prepStart) / 1000

  const store = await openStore(job.dataDir)
  const [versionRow] = await store.query<{ v: string }>(sql`SELECT version() AS v`)
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  for (let i = 0; i < batches.length; i++) {
    if (job.format === 'TabSeparated')
      await store.insertValues('spans', SPAN_INSERT_COLUMNS, 'TabSeparated', batches[i]!, `bench-baseline-${i}`)
    else await store.insertJsonEachRow('spans', batches[i]!, `bench-baseline-${i}`)
  }
  const insertSeconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const [countRow] = await store.query<{ n: string }>(sql`SELECT count() AS n FROM spans`)
  await store.close()
  return {
    spans,
    batches: batches.length,
    jsonBytes,
    prepSeconds,
    insertSeconds,
    insertCpuMicrosPerSpan: (cpu.user + cpu.system) / spans,
    spansPerSecond: spans / insertSeconds,
    mbPerSecond: jsonBytes / 1e6 / insertSeconds,
    stored: Number(countRow?.n ?? 0),
    peakRss: peakRss(),
    chdbEngineVersion: versionRow?.v ?? 'unknown',
  }
}

async function inspect(job: InspectJob): Promise<InspectResult> {
  const store = await openStore(job.dataDir)
  const [counts] = await store.query<{ n: string; u: string; t: string }>(
    sql`SELECT count() AS n, uniqExact(trace_id, span_id) AS u, uniqExact(trace_id) AS t FROM spans`,
  )
  const [parts] = await store.query<{ b: string; ub: string; p: string }>(
    sql`SELECT sum(bytes_on_disk) AS b, sum(data_uncompressed_bytes) AS ub,
      count() AS p FROM system.parts WHERE active AND database = currentDatabase() AND table = 'spans'`,
  )
  await store.close()
  return {
    count: Number(counts!.n),
    uniqueSpans: Number(counts!.u),
    traces: Number(counts!.t),
    bytesOnDisk: Number(parts!.b),
    uncompressedBytes: Number(parts!.ub),
    parts: Number(parts!.p),
  }
}

const job = JSON.parse(process.argv[2]!) as BaselineJob | InspectJob
const result = job.job === 'baseline' ? await baseline(job) : await inspect(job)
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
process.exit(0)
