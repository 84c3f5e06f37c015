/**
 * Benchmark knobs, all from the environment so a smoke run is one line:
 *   BENCH_SPANS=20000 BENCH_QUERY_SPANS=50000 pnpm bench
 */
export interface BenchConfig {
  /** Spans per encoding in the throughput run (each body sent once: every span id unique). */
  spans: number
  /** Extra spans per encoding sent open-loop at a fixed rate below capacity, to measure ack latency off saturation. */
  pacedSpans: number
  /** Paced rate as a fraction of the end-to-end spans/s the same server just reached. */
  pacedFraction: number
  /** Spans loaded into the query server (0 skips the query run). */
  querySpans: number
  /** Spans sent to a server whose store is a separate process (capacity-run.ts; 0 skips it). */
  capacitySpans: number
  /** Target spans per OTLP request (whole traces, so the real count is a little above). */
  spansPerRequest: number
  /** Concurrent HTTP connections of the load generator. */
  connections: number
  seed: number
  /** Baseline insert batch size in bytes of JSONEachRow (the spool's segment cap). */
  baselineBatchBytes: number
  /** Trace-by-id lookups, and calls per trace-list variant. */
  traceLookups: number
  listCalls: number
  /** Wall-clock budget per trace-list variant, seconds (at least `listMinCalls` calls are made). */
  listBudgetSeconds: number
  listMinCalls: number
  /** Write the BENCHMARKS.md section (off for smoke runs unless asked). */
  writeReport: boolean
  encodings: Array<'protobuf' | 'json-gzip'>
}

function int(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw.replace(/_/g, ''))
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`)
  return Math.floor(value)
}

export function readConfig(): BenchConfig {
  const spans = int('BENCH_SPANS', 200_000)
  const encodings = (process.env.BENCH_ENCODINGS ?? 'protobuf,json-gzip')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  for (const e of encodings)
    if (e !== 'protobuf' && e !== 'json-gzip') throw new Error(`BENCH_ENCODINGS: unknown encoding ${e}`)
  return {
    spans,
    pacedSpans: int('BENCH_PACED_SPANS', Math.min(60_000, Math.max(5_000, Math.floor(spans / 4)))),
    pacedFraction: Number(process.env.BENCH_PACED_FRACTION ?? '0.5'),
    querySpans: int('BENCH_QUERY_SPANS', 1_000_000),
    capacitySpans: int('BENCH_CAPACITY_SPANS', Math.min(100_000, spans)),
    spansPerRequest: int('BENCH_SPANS_PER_REQUEST', 100),
    connections: int('BENCH_CONNECTIONS', 8),
    seed: int('BENCH_SEED', 20_261_123),
    baselineBatchBytes: int('BENCH_BASELINE_BATCH_BYTES', 16 * 1024 * 1024),
    traceLookups: int('BENCH_TRACE_LOOKUPS', 200),
    listCalls: int('BENCH_LIST_CALLS', 50),
    listBudgetSeconds: int('BENCH_LIST_BUDGET_S', 20),
    listMinCalls: int('BENCH_LIST_MIN_CALLS', 10),
    writeReport:
      process.env.BENCH_WRITE_REPORT !== undefined ? process.env.BENCH_WRITE_REPORT === '1' : spans >= 200_000,
    encodings: encodings as BenchConfig['encodings'],
  }
}
