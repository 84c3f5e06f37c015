/** The real server as a child process (`src/index.ts`), on a fresh data dir, plus its /metrics and /proc figures. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'

export const BENCH_API_KEY = 'sl_bench_key_0123456789'
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..')
export const AUTH = { Authorization: `Bearer ${BENCH_API_KEY}` }

export interface ServerProcess {
  url: string
  pid: number
  dataDir: string
  child: ChildProcess
  metrics(): Promise<Record<string, number>>
  /** Peak and current resident set size of the server process, in bytes. */
  memory(): { peakRss: number; rss: number }
  /** CPU used so far, ms: the whole process (the embedded store's threads included) and its event loop. */
  cpu(): { totalMs: number; eventLoopMs: number }
  /** SIGTERM (the server flushes the spool and closes the store) and wait for exit. */
  stop(): Promise<number | null>
}

/**
 * The flags this process was started with (`--conditions=…` for workspace sources, `--import tsx`),
 * so children resolve `@sightline/schema` exactly as the parent does.
 */
export function childNodeFlags(): string[] {
  const flags = process.execArgv.filter(
    (f) => f.startsWith('--conditions') || f === '--import' || f === 'tsx' || f.startsWith('--import='),
  )
  return flags.includes('tsx') || flags.some((f) => f.startsWith('--import=')) ? flags : [...flags, '--import', 'tsx']
}

const TICKS_PER_SECOND = 100

/**
 * CPU (utime + stime) a process has used so far, ms, from /proc (Linux): the whole process, or with
 * `thread` one of its threads (`thread === pid` is the main thread: a Node server's event loop).
 */
export function cpuMs(pid: number, thread?: number): number {
  const stat = fs.readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
}

/** Data dirs hold up to a few hundred MB: removed after use unless BENCH_KEEP_DATA=1. */
export function removeDataDir(dir: string): void {
  if (process.env.BENCH_KEEP_DATA !== '1') fs.rmSync(dir, { recursive: true, force: true })
}

export function makeDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sightline-bench-${label}-`))
}

/** `dataDir`: an existing (kept) data dir to serve, else a fresh one. */
export async function startServerProcess(
  label: string,
  extraEnv: Record<string, string> = {},
  existingDataDir?: string,
): Promise<ServerProcess> {
  const dataDir = existingDataDir ?? makeDataDir(label)
  // From apps/ingest, where `tsx` resolves (it is that package's devDependency, not the root's).
  const child = spawn(
    process.execPath,
    [...childNodeFlags(), ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), 'src/index.ts'],
    {
      cwd: path.join(REPO_ROOT, 'apps/ingest'),
      env: {
        ...process.env,
        PORT: '0',
        SIGHTLINE_GRPC_PORT: '0',
        SIGHTLINE_DATA_DIR: dataDir,
        SIGHTLINE_API_KEY: BENCH_API_KEY,
        LOG_LEVEL: 'info',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const stderr: string[] = []
  child.stderr!.on('data', (d: Buffer) => {
    stderr.push(d.toString())
    if (stderr.length > 200) stderr.shift()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    // A server that never says it listens is killed, not left running (and holding its data dir) after the bench.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start in 60 s:\n${stderr.join('')}`))
    }, 60_000)
    const lines = readline.createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { message?: string; msg?: string; url?: string }
        if ((entry.message ?? entry.msg) === 'sightline listening' && entry.url) {
          clearTimeout(timer)
          resolve(entry.url)
        } else if (/"level":"(warn|error)"/.test(line)) process.stderr.write(`[server ${label}] ${line}\n`)
      } catch {
        process.stderr.write(`[server ${label}] ${line}\n`)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening:\n${stderr.join('')}`))
    })
  })
  const pid = child.pid!
  return {
    url,
    pid,
    dataDir,
    child,
    async metrics() {
      const text = await (await fetch(`${url}/metrics`)).text()
      return parsePrometheus(text)
    },
    memory() {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
      return { peakRss: kb('VmHWM'), rss: kb('VmRSS') }
    },
    cpu() {
      return { totalMs: cpuMs(pid), eventLoopMs: cpuMs(pid, pid) }
    },
    async stop() {
      child.kill('SIGTERM')
      const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000)
      const code = await exited
      clearTimeout(timeout)
      if (code !== 0) process.stderr.write(`[server ${label}] exited with ${code}\n${stderr.join('')}\n`)
      return code
    },
  }
}

/** Flat map of `name{labels}` → value; label sets are kept in the key as printed. */
export function parsePrometheus(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    out[line.slice(0, space)] = Number(line.slice(space + 1))
  }
  return out
}

/**
 * Polls /metrics until every sent span is stored and the spool is empty. Returns when it happened (performance.now()).
 */
export async function waitStored(
  server: ServerProcess,
  expected: number,
  timeoutMs = 600_000,
): Promise<{ at: number; stored: number; metrics: Record<string, number> }> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const metrics = await server.metrics().catch(() => ({}) as Record<string, number>)
    const stored = metrics['sightline_spans_stored_total'] ?? 0
    const depth = metrics['sightline_spool_depth_bytes'] ?? 0
    if (stored >= expected && depth === 0) return { at: performance.now(), stored, metrics }
    if (performance.now() > deadline)
      throw new Error(`only ${stored}/${expected} spans stored after ${timeoutMs} ms (spool depth ${depth} B)`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Waits until the trace resolver has nothing pending (every stored trace resolved). */
export async function waitResolved(
  server: ServerProcess,
  timeoutMs = 600_000,
): Promise<{ at: number; metrics: Record<string, number> }> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    // A loaded machine can reset one poll's connection: poll again rather than lose the load.
    const metrics = await server.metrics().catch(() => ({}) as Record<string, number>)
    if (
      (metrics['sightline_resolver_pending_traces'] ?? 0) === 0 &&
      (metrics['sightline_traces_resolved_total'] ?? 0) > 0
    )
      return { at: performance.now(), metrics }
    if (performance.now() > deadline) throw new Error(`traces still unresolved after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
