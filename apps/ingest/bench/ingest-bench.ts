/**
 * `pnpm bench`: end-to-end OTLP ingest (protobuf, JSON+gzip) against a raw-insert baseline measured
 * in the same run, the ingest tier's CPU per span with the store in a process of its own, then query
 * latency at BENCH_QUERY_SPANS spans. See BENCHMARKS.md for the knobs.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readConfig } from './config.js'
import { buildPool, type GenOptions } from './generator.js'
import { runBaseline } from './baseline.js'
import { runCapacity } from './capacity-run.js'
import { runIngest, type IngestResult } from './ingest-run.js'
import { machineInfo } from './machine.js'
import { runQueries } from './query-run.js'
import {
  CAPACITY_END,
  CAPACITY_START,
  consoleSummary,
  renderCapacityMarkdown,
  renderMarkdown,
  writeBenchmarksMd,
  type BenchResults,
} from './report.js'
import { REPO_ROOT } from './server-process.js'

const log = (line: string) => process.stdout.write(`${line}\n`)
const config = readConfig()
const began = performance.now()
const now = Date.now()
// Spans advance through the last 6 days (inside the trace list's default 7-day range), ending 10 min ago.
const windowStartMs = now - 6 * 86_400_000
const windowEndMs = now - 600_000
const gen = (seed: number, spans: number): GenOptions => ({
  seed,
  spans,
  spansPerRequest: config.spansPerRequest,
  windowStartMs,
  windowEndMs,
})

log(`sightline bench: ${JSON.stringify(config)}`)
const throughputGen = gen(config.seed, config.spans)
let t = performance.now()
const pools = buildPool(throughputGen, config.encodings)
const pacedPools = buildPool(gen(config.seed + 1, config.pacedSpans), config.encodings)
log(
  `generated ${config.spans} + ${config.pacedSpans} spans per encoding ` +
    `in ${((performance.now() - t) / 1000).toFixed(1)} s`,
)

log('baseline: raw insert of the same rows into a fresh store (child process)…')
const baseline = await runBaseline(throughputGen, config.baselineBatchBytes)
log(
  `  ${Math.round(baseline.spansPerSecond)} spans/s, ${baseline.mbPerSecond.toFixed(1)} MB/s (${baseline.batches} ` +
    `batches, ${baseline.spans} rows, stored ${baseline.stored}); ` +
    `${Math.round(baseline.insertCpuMicrosPerSpan)} µs of CPU per span`,
)
if (baseline.stored !== baseline.spans) throw new Error(`baseline stored ${baseline.stored} of ${baseline.spans} rows`)
// The writer's own format, for reference: how much of the gap to the baseline the format closes.
const baselineSpoolFormat = await runBaseline(throughputGen, config.baselineBatchBytes, 'TabSeparated')
log(
  `  same rows as TabSeparated (the spool's format): ${Math.round(baselineSpoolFormat.spansPerSecond)} spans/s ` +
    `(${(baselineSpoolFormat.spansPerSecond / baseline.spansPerSecond).toFixed(2)}×)`,
)

const ingest: IngestResult[] = []
for (const encoding of config.encodings) {
  log(
    `ingest ${encoding}: ${pools[encoding].spans} spans in ${pools[encoding].bodies.length} ` +
      `requests, ${config.connections} connections…`,
  )
  const result = await runIngest(
    encoding,
    pools[encoding],
    pacedPools[encoding],
    config.pacedFraction,
    config.connections,
  )
  ingest.push(result)
  log(
    `  ack ${Math.round(result.ackSpansPerSecond)} spans/s, end-to-end ${Math.round(result.endToEndSpansPerSecond)} ` +
      `spans/s ` +
      `(${(result.endToEndSpansPerSecond / baseline.spansPerSecond).toFixed(2)}× baseline), ` +
      `ack p99 ${result.saturatedAckP99Ms.toFixed(1)} ms saturated / ` +
      `${result.pacedAckP99Ms.toFixed(1)} ms paced, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ` +
      `exactly once: ${result.exactlyOnce}; ` +
      `every trace resolved at ${Math.round(result.resolvedSpansPerSecond)} spans/s, ` +
      `${result.resolverDeferredTicks} resolver ticks deferred to ingest`,
  )
  log(
    `  server CPU until stored: ${Math.round(result.serverCpuMicrosPerSpan)} µs per span ` +
      `(event loop ${Math.round(result.eventLoopCpuMicrosPerSpan)}), ` +
      `${(baseline.insertCpuMicrosPerSpan / result.serverCpuMicrosPerSpan).toFixed(2)}× ` +
      `the baseline insert's CPU per span`,
  )
  const p = result.paced
  log(
    `  paced phase, server side: ${p.spoolCommits} spool commits, ` +
      `mean ${p.spoolCommitMeanMs.toFixed(2)} ms, ${p.spoolCommitsOver25ms} over 25 ms; ` +
      `GC pauses ${(p.gcPauseSeconds * 1000).toFixed(0)} ms (major ${(p.gcMajorPauseSeconds * 1000).toFixed(0)} ms); ` +
      `event-loop lag max ${p.eventLoopLagMaxMs.toFixed(1)} ms; ` +
      `server-timed acks over 50 ms: ${p.serverAcksOver50ms} of ${p.serverAcks}; ` +
      `${p.resolverPendingAtEnd} traces left to resolve at its end, ` +
      `all resolved ${(p.resolvedAfterMs / 1000).toFixed(1)} s later`,
  )
}
log('baseline again, after the ingest runs…')
const baselineAfter = await runBaseline(throughputGen, config.baselineBatchBytes)
log(`  ${Math.round(baselineAfter.spansPerSecond)} spans/s (before: ${Math.round(baseline.spansPerSecond)})`)
// Free the ingest pools before building the query data set.
for (const e of config.encodings) {
  pools[e].bodies = []
  pacedPools[e].bodies = []
}

let capacity
if (config.capacitySpans > 0) {
  const capacityPool = buildPool(gen(config.seed + 3, config.capacitySpans), ['protobuf'], true).protobuf
  log(
    `capacity: ${capacityPool.spans} spans to a server whose store is a process of its own (ClickHouse HTTP front ` +
      `over chDB)…`,
  )
  capacity = await runCapacity(capacityPool, config.connections)
  log(
    `  ingest CPU ${capacity.ingestCpuMsPer1000Spans.toFixed(0)} ms per 1,000 spans ` +
      `= ${Math.round(capacity.spansPerIngestCoreSecond)} spans/s per ingest core; ` +
      `store CPU ${capacity.storeCpuMsPer1000Spans.toFixed(0)} ms per 1,000 ` +
      `spans; ${capacity.bytesOnDiskPerSpan.toFixed(0)} B on disk per span; exactly once: ${capacity.exactlyOnce}`,
  )
}

let query
if (config.querySpans > 0) {
  t = performance.now()
  const queryPool = buildPool(gen(config.seed + 2, config.querySpans), ['protobuf'], true).protobuf
  log(
    `query data set: ${queryPool.spans} spans, ${queryPool.traces.length} traces generated ` +
      `in ${((performance.now() - t) / 1000).toFixed(1)} s; loading…`,
  )
  query = await runQueries(queryPool, {
    connections: config.connections,
    seed: config.seed,
    traceLookups: config.traceLookups,
    listCalls: config.listCalls,
    listMinCalls: config.listMinCalls,
    listBudgetSeconds: config.listBudgetSeconds,
    log,
  })
}

const results: BenchResults = {
  date: new Date().toISOString(),
  command: commandLine(),
  config,
  machine: machineInfo(baseline.chdbEngineVersion),
  baseline,
  baselineAfter,
  baselineSpoolFormat,
  ingest,
  capacity,
  query,
  totalSeconds: (performance.now() - began) / 1000,
}
const jsonFile = path.join(os.tmpdir(), `sightline-bench-${results.date.replace(/[:.]/g, '-')}.json`)
fs.writeFileSync(jsonFile, JSON.stringify(results, null, 2))
log('')
log(consoleSummary(results))
log(`raw results: ${jsonFile}`)
if (config.writeReport) {
  writeBenchmarksMd(path.join(REPO_ROOT, 'BENCHMARKS.md'), renderMarkdown(results))
  log('BENCHMARKS.md updated')
} else {
  log('BENCHMARKS.md ingest section not touched (smoke-sized run; BENCH_WRITE_REPORT=1 forces it)')
}
// The capacity section is written from any run that measured it at full size, on its own.
if (results.capacity && (results.capacity.spans >= 100_000 || config.writeReport)) {
  writeBenchmarksMd(
    path.join(REPO_ROOT, 'BENCHMARKS.md'),
    renderCapacityMarkdown({ ...results, capacity: results.capacity }),
    CAPACITY_START,
    CAPACITY_END,
  )
  log('BENCHMARKS.md capacity section updated')
}
const failures =
  ingest.filter((i) => !i.exactlyOnce).length +
  (capacity && !capacity.exactlyOnce ? 1 : 0) +
  (query && (!query.exactlyOnce || query.byIdMismatches > 0) ? 1 : 0)
if (failures > 0) {
  log(`FAILED: ${failures} run(s) did not store exactly what was sent`)
  process.exitCode = 1
}

function commandLine(): string {
  const knobs = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v}`)
  return [...knobs, 'pnpm bench'].join(' ')
}
