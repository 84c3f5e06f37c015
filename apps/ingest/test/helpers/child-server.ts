/**
 * The real server entry point (`src/index.ts`) as a child process, for tests that time the event
 * loop: a server in the test's own process would share its event loop and heap with the client,
 * whose body building and garbage would show up in the latencies being measured.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const INGEST_DIR = fileURLToPath(new URL('../../', import.meta.url))
/** Past the server's own shutdown deadline (SIGHTLINE_SHUTDOWN_TIMEOUT_MS, 25 s). */
const STOP_WAIT_MS = 40_000

export interface ChildServer {
  url: string
  pid: number
  dataDir: string
  logs: string[]
  /**
   * SIGTERM (the server flushes its spool) and wait for the exit; removes the data directory unless
   * it was given. A server still running after its own shutdown deadline is killed, and its last log
   * lines are printed: the phase it hung in is the finding, whatever the test was about.
   */
  stop(): Promise<void>
  /** SIGKILL, as a crash: nothing is flushed; the data directory stays for a restart. */
  kill(): Promise<void>
}

export interface ChildOptions {
  /** Reuse this data directory (a restart); it is then never removed. */
  dataDir?: string
}

export async function startChildServer(
  apiKey: string,
  env: Record<string, string> = {},
  options: ChildOptions = {},
): Promise<ChildServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-child-'))
  const proc = spawn(process.execPath, ['--conditions=@sightline/source', '--import', 'tsx', 'src/index.ts'], {
    cwd: INGEST_DIR,
    // gRPC off unless asked: test files run in parallel and 4317 fits one of them.
    env: {
      ...process.env,
      PORT: '0',
      SIGHTLINE_GRPC_PORT: '0',
      HOST: '127.0.0.1',
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_API_KEY: apiKey,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  // A test process that ends early must not leave a server (and its chDB) running.
  const killOnExit = () => proc.kill('SIGKILL')
  process.once('exit', killOnExit)
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const timeout = setTimeout(() => proc.kill('SIGKILL'), 90_000)
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        logs.push(line)
        const listening = /"message":"sightline listening".*"url":"([^"]+)"/.exec(line)
        if (listening) resolve(listening[1]!)
      }
    })
    proc.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')))
    void exited.then(() => reject(new Error(`server exited before listening:\n${logs.join('\n')}`)))
  }).catch((err: unknown) => {
    proc.kill('SIGKILL')
    throw err
  })
  clearTimeout(timeout)
  return {
    url,
    pid: proc.pid!,
    dataDir,
    logs,
    async stop() {
      proc.kill('SIGTERM')
      const report = (what: string) =>
        console.warn(`server ${proc.pid} ${what}. Its last logs:\n${logs.slice(-40).join('\n')}`)
      const hung = setTimeout(() => {
        report(`did not exit ${STOP_WAIT_MS} ms after SIGTERM; killed`)
        proc.kill('SIGKILL')
      }, STOP_WAIT_MS)
      await exited
      clearTimeout(hung)
      if (proc.exitCode !== 0 && proc.exitCode !== null) report(`exited ${proc.exitCode} after SIGTERM`)
      process.off('exit', killOnExit)
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
    async kill() {
      proc.kill('SIGKILL')
      await exited
      process.off('exit', killOnExit)
    },
  }
}

/**
 * Latencies of `GET url/healthz`, polled one after another (10 ms apart) until `work` settles, on
 * a connection of its own.
 */
export async function healthWhile(url: string, work: Promise<unknown>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now()
      http
        .get(`${url}/healthz`, { agent }, (res) => {
          res.resume()
          res.on('end', () => resolve(performance.now() - started))
        })
        .on('error', reject)
    })
  let done = false
  void work.finally(() => (done = true)).catch(() => undefined)
  const latencies: number[] = []
  try {
    while (!done) {
      latencies.push(await get())
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  } finally {
    agent.destroy()
  }
  return latencies
}

/**
 * The server's own longest event-loop delay, in ms, since the previous call (prom-client resets it
 * on every scrape): what `work` cost the event loop, measured inside the server, so that neither
 * the client's own pauses nor its connection count in it.
 */
export async function eventLoopLagMaxMs(url: string, headers: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text()
  const max = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1]
  if (max === undefined) throw new Error('no nodejs_eventloop_lag_max_seconds in /metrics')
  return Number(max) * 1000
}
