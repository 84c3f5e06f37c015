import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * Our own telemetry, Prometheus text at /metrics. Labels stay bounded: reasons, never ids;
 * `transport` is `http` (OTLP/HTTP) or `grpc` (OTLP/gRPC).
 */
export interface Metrics {
  readonly registry: Registry
  readonly spansAccepted: Counter<'transport'>
  readonly spansRejected: Counter<'reason' | 'transport'>
  readonly requestsRejected: Counter<'reason' | 'transport'>
  readonly overloadRejections: Counter
  readonly spansStored: Counter
  readonly duplicateSpans: Counter
  readonly spansClamped: Counter<'field'>
  readonly quarantinedSpans: Counter<'reason'>
  readonly flushFailures: Counter
  readonly batchSpans: Histogram
  readonly flushSeconds: Histogram
  readonly ackSeconds: Histogram
  readonly spoolCommitSeconds: Histogram
  readonly spoolDepthBytes: Gauge
  readonly resolverPending: Gauge
  readonly resolverDeferredTicks: Counter
  readonly tracesResolved: Counter
  readonly resolveSeconds: Histogram
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  const registers = [registry]
  // Process, heap, GC pause and event-loop lag figures: what explains a slow acknowledgement.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 })
  return {
    registry,
    spansAccepted: new Counter({
      name: 'sightline_spans_accepted_total',
      help: 'Spans acknowledged to clients',
      labelNames: ['transport'],
      registers,
    }),
    spansRejected: new Counter({
      name: 'sightline_spans_rejected_total',
      help:
        'Spans refused, by reason (invalid_span, unstorable_<field>: partial success; ' +
        'whole-request reasons count every span of the request)',
      labelNames: ['reason', 'transport'],
      registers,
    }),
    requestsRejected: new Counter({
      name: 'sightline_requests_rejected_total',
      help: 'OTLP requests refused, by reason',
      labelNames: ['reason', 'transport'],
      registers,
    }),
    overloadRejections: new Counter({
      name: 'sightline_overload_rejections_total',
      help: 'Requests answered 503 because the spool is full',
      registers,
    }),
    duplicateSpans: new Counter({
      name: 'sightline_spans_duplicate_total',
      help: 'Spans dropped as retries of spans acknowledged recently',
      registers,
    }),
    spansStored: new Counter({
      name: 'sightline_spans_stored_total',
      help: 'Spans moved from the spool into the store',
      registers,
    }),
    spansClamped: new Counter({
      name: 'sightline_spans_clamped_total',
      help: 'Spans acknowledged with a value the store cannot hold replaced (flag invalid_*), by field',
      labelNames: ['field'],
      registers,
    }),
    quarantinedSpans: new Counter({
      name: 'sightline_spans_quarantined_total',
      help: 'Spans the store refused, kept on disk per project (reason: ClickHouse error name or ours)',
      labelNames: ['reason'],
      registers,
    }),
    flushFailures: new Counter({
      name: 'sightline_flush_failures_total',
      help: 'Failed store inserts (retried)',
      registers,
    }),
    batchSpans: new Histogram({
      name: 'sightline_flush_batch_spans',
      help: 'Spans per store insert',
      buckets: [10, 100, 1_000, 5_000, 10_000, 50_000, 100_000],
      registers,
    }),
    flushSeconds: new Histogram({
      name: 'sightline_flush_seconds',
      help: 'Store insert latency per batch',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    ackSeconds: new Histogram({
      name: 'sightline_otlp_ack_seconds',
      help: 'OTLP request latency from body read to acknowledgement (both transports)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    spoolCommitSeconds: new Histogram({
      name: 'sightline_spool_commit_seconds',
      help: 'Spool group commit (write + fdatasync) latency; every acknowledgement waits for one',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    spoolDepthBytes: new Gauge({
      name: 'sightline_spool_depth_bytes',
      help: 'Acknowledged bytes not yet in the store',
      registers,
    }),
    resolverPending: new Gauge({
      name: 'sightline_resolver_pending_traces',
      help: 'Traces with new spans waiting to be resolved',
      registers,
    }),
    resolverDeferredTicks: new Counter({
      name: 'sightline_resolver_deferred_ticks_total',
      help: 'Resolver ticks that left quiet traces waiting because ingest was behind (bounded by maxDeferMs)',
      registers,
    }),
    tracesResolved: new Counter({
      name: 'sightline_traces_resolved_total',
      help: 'Trace resolutions (a trace is resolved again when late spans arrive)',
      registers,
    }),
    resolveSeconds: new Histogram({
      name: 'sightline_resolve_batch_seconds',
      help: 'Time to resolve one batch of traces (read spans and states, resolve, write)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  }
}
