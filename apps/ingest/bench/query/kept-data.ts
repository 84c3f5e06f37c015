/**
 * A query-bench data dir that is loaded once and kept: the real server ingests BENCH_QUERY_SPANS
 * spans through OTLP/protobuf (the same generator as `pnpm bench`), the resolver settles every
 * trace, and a manifest records what was loaded so later runs query the same data without reloading.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildPool, mulberry32 } from '../generator.js'
import { runLoad } from '../load.js'
import { startServerProcess, waitResolved, waitStored } from '../server-process.js'

export interface Manifest {
  spans: number
  traces: number
  seed: number
  /**
   * Epoch ms: the generated spans start in [windowStartMs, windowEndMs]; "now" of the load was windowEndMs + 10 min.
   */
  windowStartMs: number
  windowEndMs: number
  loadedAt: string
  loadSeconds: number
  /** Random known traces with their span counts, for the by-id lookups. */
  sample: Array<{ traceId: string; spans: number }>
}

const MANIFEST = 'bench-query-manifest.json'

export function readManifest(dataDir: string): Manifest | undefined {
  const file = path.join(dataDir, MANIFEST)
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest) : undefined
}

export async function loadKeptDataDir(
  dataDir: string,
  opts: { spans: number; seed: number; connections: number; log: (line: string) => void },
): Promise<Manifest> {
  fs.mkdirSync(dataDir, { recursive: true })
  if (fs.readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty and holds no ${MANIFEST}: refusing to load into it`)
  const now = Date.now()
  const windowStartMs = now - 6 * 86_400_000
  const windowEndMs = now - 600_000
  let t = performance.now()
  const pool = buildPool(
    { seed: opts.seed, spans: opts.spans, spansPerRequest: 100, windowStartMs, windowEndMs },
    ['protobuf'],
    true,
  ).protobuf
  opts.log(
    `generated ${pool.spans} spans in ${pool.traces.length} traces in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )
  const server = await startServerProcess('query-load', {}, dataDir)
  try {
    t = performance.now()
    await runLoad({
      url: server.url,
      encoding: 'protobuf',
      bodies: pool.bodies,
      spanCounts: pool.spanCounts,
      connections: opts.connections,
    })
    await waitStored(server, pool.spans, 4 * 3600_000)
    opts.log(`  stored in ${((performance.now() - t) / 1000).toFixed(0)} s; waiting for the resolver…`)
    await waitResolved(server, 4 * 3600_000)
    const loadSeconds = (performance.now() - t) / 1000
    opts.log(`  loaded and resolved in ${loadSeconds.toFixed(0)} s`)
    const rng = mulberry32(opts.seed ^ 0x5eed)
    const sample = Array.from(
      { length: Math.min(5000, pool.traces.length) },
      () => pool.traces[Math.floor(rng() * pool.traces.length)]!,
    )
    const manifest: Manifest = {
      spans: pool.spans,
      traces: pool.traces.length,
      seed: opts.seed,
      windowStartMs,
      windowEndMs,
      loadedAt: new Date(now).toISOString(),
      loadSeconds,
      sample,
    }
    fs.writeFileSync(path.join(dataDir, MANIFEST), JSON.stringify(manifest))
    return manifest
  } finally {
    await server.stop()
  }
}
