/** End-to-end OTLP ingest against the real server process, for one encoding. */
import type { Encoding, Pool } from './generator.js'
import { inspectDataDir } from './baseline.js'
import type { InspectResult } from './store-child.js'
import { percentile, runLoad } from './load.js'
import { removeDataDir, startServerProcess, waitResolved, waitStored } from './server-process.js'

export interface IngestResult {
  encoding: Encoding
  connections: number
  spans: number
  requests: number
  wireBytes: number
  /** Closed loop, all connections busy. */
  ackSpansPerSecond: number
  endToEndSpansPerSecond: number
  saturatedAckP50Ms: number
  saturatedAckP99Ms: number
  /** Open loop at `pacedSpansPerSecond` (a fraction of this run's end-to-end rate). */
  pacedSpans: number
  pacedSpansPerSecond: number
  pacedAchievedSpansPerSecond: number
  pacedAckP50Ms: number
  pacedAckP99Ms: number
  pacedAckMaxMs: number
  pacedDrainMs: number
  retries503: number
  errors: number
  peakRssBytes: number
  /**
   * Server CPU per span over the closed-loop phase (first request until every span was stored), µs:
   * the whole process (its embedded store's threads included) and its event loop alone. Unlike the
   * rates, this hardly moves with what else runs on the machine.
   */
  serverCpuMicrosPerSpan: number
  eventLoopCpuMicrosPerSpan: number
  /** From the server's own metrics: mean spans per chDB insert and the loader's insert rate while busy. */
  meanInsertBatchSpans: number
  loaderBusySeconds: number
  loaderSpansPerBusySecond: number
  stored: InspectResult
  exactlyOnce: boolean
  /**
   * What the server saw during the paced phase (its /metrics before and after): the causes of a slow
   * acknowledgement.
   */
  paced: PacedDiagnostics
  /** Closed-loop phase: from the first request until every trace it touched was resolved (stored in `traces`). */
  resolvedSpansPerSecond: number
  /**
   * Resolver work over the whole run: time in batches, resolutions (a trace resolved again counts again),
   * traces per busy second.
   */
  resolverBusySeconds: number
  traceResolutions: number
  resolutionsPerBusySecond: number
  /** Resolver ticks that waited because spool segments were waiting for the store. */
  resolverDeferredTicks: number
}

export interface PacedDiagnostics {
  spoolCommits: number
  spoolCommitMeanMs: number
  /** Group commits (write + fdatasync) slower than 25 ms, which alone would push an ack past it. */
  spoolCommitsOver25ms: number
  gcPauseSeconds: number
  gcMajorPauseSeconds: number
  /** Largest event-loop delay the server measured in that phase. */
  eventLoopLagMaxMs: number
  /** Requests the server itself timed (handler start → response) over 50 ms, of all it answered. */
  serverAcksOver50ms: number
  serverAcks: number
  /**
   * Stored traces waiting for the resolver when the paced load ended, and how long after it the last
   * was resolved. Far more than one second of the phase's traces (the resolver waits that long for a
   * trace to go quiet) means the resolver fell behind: counting resolution, which the end-to-end rate
   * does not, the paced rate was not below the server's capacity.
   */
  resolverPendingAtEnd: number
  resolvedAfterMs: number
}

function pacedDiagnostics(
  before: Record<string, number>,
  after: Record<string, number>,
  resolvedAfterMs: number,
): PacedDiagnostics {
  const d = (key: string) => (after[key] ?? 0) - (before[key] ?? 0)
  const commits = d('sightline_spool_commit_seconds_count')
  return {
    spoolCommits: commits,
    spoolCommitMeanMs: (1000 * d('sightline_spool_commit_seconds_sum')) / commits,
    spoolCommitsOver25ms: commits - d('sightline_spool_commit_seconds_bucket{le="0.025"}'),
    gcPauseSeconds: Object.keys(after)
      .filter((k) => k.startsWith('nodejs_gc_duration_seconds_sum'))
      .reduce((n, k) => n + d(k), 0),
    gcMajorPauseSeconds: d('nodejs_gc_duration_seconds_sum{kind="major"}'),
    eventLoopLagMaxMs: 1000 * (after['nodejs_eventloop_lag_max_seconds'] ?? NaN),
    serverAcksOver50ms: d('sightline_otlp_ack_seconds_count') - d('sightline_otlp_ack_seconds_bucket{le="0.05"}'),
    serverAcks: d('sightline_otlp_ack_seconds_count'),
    resolverPendingAtEnd: after['sightline_resolver_pending_traces'] ?? NaN,
    resolvedAfterMs,
  }
}

/**
 * The paced phase runs at `pacedFraction` of the end-to-end rate this server just reached: ack latency below
 * capacity.
 */
export async function runIngest(
  encoding: Encoding,
  pool: Pool,
  paced: Pool,
  pacedFraction: number,
  connections: number,
): Promise<IngestResult> {
  const server = await startServerProcess(encoding)
  try {
    const cpuBefore = server.cpu()
    const load = await runLoad({
      url: server.url,
      encoding,
      bodies: pool.bodies,
      spanCounts: pool.spanCounts,
      connections,
    })
    const stored = await waitStored(server, pool.spans)
    const cpuStored = server.cpu()
    const resolved = await waitResolved(server)
    const seconds = (load.finishedAt - load.startedAt) / 1000
    const e2eSeconds = (stored.at - load.startedAt) / 1000
    const pacedSpansPerSecond = (pacedFraction * pool.spans) / e2eSeconds

    const beforePaced = await server.metrics()
    const pacedLoad = await runLoad({
      url: server.url,
      encoding,
      bodies: paced.bodies,
      spanCounts: paced.spanCounts,
      connections,
      spansPerSecond: pacedSpansPerSecond,
    })
    const afterPaced = await server.metrics()
    const pacedStored = await waitStored(server, pool.spans + paced.spans)
    const pacedResolved = await waitResolved(server)
    const m = pacedResolved.metrics
    const memory = server.memory()
    await server.stop()
    const inspected = await inspectDataDir(server.dataDir)
    removeDataDir(server.dataDir)
    const sent = pool.spans + paced.spans
    const busy = m['sightline_flush_seconds_sum'] ?? NaN
    return {
      encoding,
      connections,
      spans: pool.spans,
      requests: pool.bodies.length,
      wireBytes: pool.bytes,
      ackSpansPerSecond: pool.spans / seconds,
      endToEndSpansPerSecond: pool.spans / e2eSeconds,
      saturatedAckP50Ms: percentile(load.latenciesMs, 50),
      saturatedAckP99Ms: percentile(load.latenciesMs, 99),
      pacedSpans: paced.spans,
      pacedSpansPerSecond,
      pacedAchievedSpansPerSecond: paced.spans / ((pacedLoad.finishedAt - pacedLoad.startedAt) / 1000),
      pacedAckP50Ms: percentile(pacedLoad.latenciesMs, 50),
      pacedAckP99Ms: percentile(pacedLoad.latenciesMs, 99),
      pacedAckMaxMs: percentile(pacedLoad.latenciesMs, 100),
      pacedDrainMs: pacedStored.at - pacedLoad.finishedAt,
      retries503: load.retries503 + pacedLoad.retries503,
      errors: load.errors + pacedLoad.errors,
      peakRssBytes: memory.peakRss,
      serverCpuMicrosPerSpan: ((cpuStored.totalMs - cpuBefore.totalMs) * 1000) / pool.spans,
      eventLoopCpuMicrosPerSpan: ((cpuStored.eventLoopMs - cpuBefore.eventLoopMs) * 1000) / pool.spans,
      meanInsertBatchSpans:
        (m['sightline_flush_batch_spans_sum'] ?? NaN) / (m['sightline_flush_batch_spans_count'] ?? NaN),
      loaderBusySeconds: busy,
      loaderSpansPerBusySecond: sent / busy,
      stored: inspected,
      exactlyOnce: inspected.count === sent && inspected.uniqueSpans === sent,
      paced: pacedDiagnostics(beforePaced, afterPaced, pacedResolved.at - pacedLoad.finishedAt),
      resolvedSpansPerSecond: pool.spans / ((resolved.at - load.startedAt) / 1000),
      resolverBusySeconds: m['sightline_resolve_batch_seconds_sum'] ?? NaN,
      traceResolutions: m['sightline_traces_resolved_total'] ?? NaN,
      resolutionsPerBusySecond:
        (m['sightline_traces_resolved_total'] ?? NaN) / (m['sightline_resolve_batch_seconds_sum'] ?? NaN),
      resolverDeferredTicks: m['sightline_resolver_deferred_ticks_total'] ?? 0,
    }
  } catch (error) {
    await server.stop().catch(() => undefined)
    throw error
  }
}
