/**
 * A query-bench data dir that is loaded once and kept: the real server ingests BENCH_QUERY_SPANS
 * spans through OTLP/protobuf (the same generator as `pnpm bench`), the resolver settles every
 * trace, and a manifest records what was loaded so later runs query the same data without reloading.
 * A kept dir can also be grown (`growKeptDataDir`): more spans of another seed over the same window,
 * so that one load of 10M becomes the 30M point of issue 18's extrapolation at three times the density.
 */
import fs from 'node:fs'
import path from 'node:path'
import { encodeProtobuf, generateRequests, mulberry32, type GenOptions } from '../generator.js'
import { runLoad } from '../load.js'
import { startServerProcess, waitResolved, waitStored } from '../server-process.js'

export interface Manifest {
  /** All loads together. */
  spans: number
  traces: number
  /** The first load's seed (the query bench's picks use it). */
  seed: number
  /**
   * Epoch ms: the generated spans start in [windowStartMs, windowEndMs]; "now" of the load was windowEndMs + 10 min.
   */
  windowStartMs: number
  windowEndMs: number
  loadedAt: string
  /** Wall time of all loads: sending (generation of later chunks included), storing, resolving. */
  loadSeconds: number
  /** Random known traces with their span counts, for the by-id lookups (every load in proportion). */
  sample: Array<{ traceId: string; spans: number }>
  /** Each load, the first included; absent in manifests written before a dir could grow. */
  loads?: Load[]
  /** Set while a growth runs: a dir left with it holds part of a load and is neither queried nor grown. */
  growing?: { seed: number; spans: number }
}

interface Load {
  seed: number
  spans: number
  traces: number
  loadedAt: string
  loadSeconds: number
}

const MANIFEST = 'bench-query-manifest.json'
const SAMPLE_SIZE = 5000
/**
 * Request bodies generated and held at once. 10M spans' bodies are ~10.5 GB: a 30M load generated
 * whole would not fit this 24 GiB machine, so a load is generated and sent a chunk at a time.
 */
const CHUNK_SPANS = 1_000_000
/** Storing and resolving 10M spans took 38 min on 2 cores: 30M needs more than the helpers' 10 min default. */
const WAIT_MS = 8 * 3600_000

export function readManifest(dataDir: string): Manifest | undefined {
  const file = path.join(dataDir, MANIFEST)
  if (!fs.existsSync(file)) return undefined
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest
  if (manifest.growing)
    throw new Error(`${dataDir} holds part of seed ${manifest.growing.seed}'s load (a growth did not finish)`)
  return manifest
}

interface LoadOptions {
  spans: number
  seed: number
  connections: number
  log: (line: string) => void
}

export async function loadKeptDataDir(dataDir: string, opts: LoadOptions): Promise<Manifest> {
  fs.mkdirSync(dataDir, { recursive: true })
  if (fs.readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty and holds no ${MANIFEST}: refusing to load into it`)
  const now = Date.now()
  const window = { windowStartMs: now - 6 * 86_400_000, windowEndMs: now - 600_000 }
  const load = await loadInto(dataDir, opts, window)
  return writeManifest(dataDir, {
    spans: load.spans,
    traces: load.traces,
    seed: opts.seed,
    ...window,
    loadedAt: load.loadedAt,
    loadSeconds: load.loadSeconds,
    sample: load.sample,
    loads: [withoutSample(load)],
  })
}

/**
 * Adds `opts.spans` spans of `opts.seed` to a kept dir, over its manifest's window. A seed already
 * loaded is refused: it would send the same trace ids again.
 */
export async function growKeptDataDir(dataDir: string, manifest: Manifest, opts: LoadOptions): Promise<Manifest> {
  const loads = manifest.loads ?? [
    {
      seed: manifest.seed,
      spans: manifest.spans,
      traces: manifest.traces,
      loadedAt: manifest.loadedAt,
      loadSeconds: manifest.loadSeconds,
    },
  ]
  if (loads.some((l) => l.seed === opts.seed)) throw new Error(`${dataDir} already holds seed ${opts.seed}`)
  // The pages the query bench saved describe data that is about to change: later runs compare with them.
  for (const file of fs.readdirSync(dataDir).filter((f) => /^bench-pages-.*\.json$/.test(f)))
    fs.rmSync(path.join(dataDir, file))
  writeManifest(dataDir, { ...manifest, growing: { seed: opts.seed, spans: opts.spans } })
  const load = await loadInto(dataDir, opts, {
    windowStartMs: manifest.windowStartMs,
    windowEndMs: manifest.windowEndMs,
  })
  const traces = manifest.traces + load.traces
  // Each slot from the new load with its share of all traces: by-id picks stay uniform over every trace.
  const rng = mulberry32(opts.seed ^ 0x5a17)
  const sample = Array.from({ length: Math.min(SAMPLE_SIZE, traces) }, (_, i) =>
    rng() < load.traces / traces ? load.sample[i % load.sample.length]! : manifest.sample[i % manifest.sample.length]!,
  )
  return writeManifest(dataDir, {
    ...manifest,
    spans: manifest.spans + load.spans,
    traces,
    loadSeconds: manifest.loadSeconds + load.loadSeconds,
    sample,
    loads: [...loads, withoutSample(load)],
  })
}

function writeManifest(dataDir: string, manifest: Manifest): Manifest {
  fs.writeFileSync(path.join(dataDir, MANIFEST), JSON.stringify(manifest))
  return manifest
}

const withoutSample = ({ sample: _, ...load }: Load & { sample: unknown }): Load => load

/** Generates and sends one seed's spans through a server on `dataDir`, and waits until all are stored and resolved. */
async function loadInto(
  dataDir: string,
  opts: LoadOptions,
  window: Pick<Manifest, 'windowStartMs' | 'windowEndMs'>,
): Promise<Load & { sample: Manifest['sample'] }> {
  const loadedAt = new Date().toISOString()
  const server = await startServerProcess('query-load', {}, dataDir)
  try {
    const started = performance.now()
    const gen = { seed: opts.seed, spans: opts.spans, spansPerRequest: 100, ...window }
    const sent = await sendGenerated(server.url, gen, opts)
    await waitStored(server, sent.spans, WAIT_MS)
    opts.log(`  seed ${opts.seed}: stored ${sent.spans} spans; waiting for the resolver…`)
    await waitResolved(server, WAIT_MS)
    const loadSeconds = (performance.now() - started) / 1000
    const seconds = loadSeconds.toFixed(0)
    opts.log(`  seed ${opts.seed}: ${sent.spans} spans in ${sent.traces} traces loaded and resolved in ${seconds} s`)
    return { seed: opts.seed, ...sent, loadedAt, loadSeconds }
  } finally {
    await server.stop()
  }
}

/** Sends the generator's requests a chunk at a time; keeps a uniform sample of the traces sent (reservoir). */
async function sendGenerated(
  url: string,
  gen: GenOptions,
  opts: LoadOptions,
): Promise<{ spans: number; traces: number; sample: Manifest['sample'] }> {
  const rng = mulberry32(gen.seed ^ 0x5eed)
  const sample: Manifest['sample'] = []
  let spans = 0
  let traces = 0
  let bodies: Buffer[] = []
  let counts: number[] = []
  let chunkSpans = 0
  const send = async () => {
    await runLoad({ url, encoding: 'protobuf', bodies, spanCounts: counts, connections: opts.connections })
    opts.log(`  seed ${gen.seed}: sent ${spans} of ${gen.spans} spans`)
    bodies = []
    counts = []
    chunkSpans = 0
  }
  for (const generated of generateRequests(gen)) {
    bodies.push(encodeProtobuf(generated.request))
    counts.push(generated.spanCount)
    chunkSpans += generated.spanCount
    spans += generated.spanCount
    for (const trace of generated.traces) {
      traces += 1
      if (sample.length < SAMPLE_SIZE) sample.push(trace)
      else {
        const slot = Math.floor(rng() * traces)
        if (slot < SAMPLE_SIZE) sample[slot] = trace
      }
    }
    if (chunkSpans >= CHUNK_SPANS) await send()
  }
  if (bodies.length > 0) await send()
  return { spans, traces, sample }
}
