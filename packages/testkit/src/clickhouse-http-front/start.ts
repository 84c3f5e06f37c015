/**
 * Starts a ClickHouse HTTP front (a test double: see README.md beside this file) in a child
 * process of its own, because libchdb binds one data directory per process and the process under
 * test may hold another. Resolves once it answers queries.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface FrontOptions {
  /** chDB data directory; a fresh temporary one when omitted (removed by `stop`). */
  dataDir?: string
  user?: string
  password?: string
  /** Environment of the front's process, e.g. `{ TZ: 'Asia/Kolkata' }` for a server outside UTC. */
  env?: Record<string, string>
}

export interface ClickHouseFront {
  url: string
  user: string
  password: string
  dataDir: string
  version: string
  pid: number
  /** SIGTERM, then waits for the exit; removes the data directory it created. */
  stop(): Promise<void>
}

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url))

export async function startClickHouseFront(options: FrontOptions = {}): Promise<ClickHouseFront> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-ch-front-'))
  const user = options.user ?? 'default'
  const password = options.password ?? ''
  const child = spawn(
    process.execPath,
    [
      '--conditions=@sightline/source',
      '--import',
      'tsx',
      MAIN,
      '--data-dir',
      dataDir,
      '--user',
      user,
      '--password',
      password,
    ],
    { cwd: PACKAGE_DIR, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // The front exits when this pipe closes, so it never outlives the process that started it.
  child.stdin!.on('error', () => undefined)
  const { port, version } = await waitForListening(child, exited)
  return {
    url: `http://127.0.0.1:${port}`,
    user,
    password,
    dataDir,
    version,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function waitForListening(child: ChildProcess, exited: Promise<void>): Promise<{ port: number; version: string }> {
  return new Promise((resolve, reject) => {
    const logs: string[] = []
    let buffered = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      let newline
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        logs.push(line)
        if (logs.length > 50) logs.shift()
        try {
          const { listening } = JSON.parse(line) as { listening?: { port: number; version: string } }
          if (listening) resolve(listening)
        } catch {
          // engine output, not ours
        }
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      logs.push(chunk.toString('utf8'))
      if (logs.length > 50) logs.shift()
    })
    void exited.then(() => reject(new Error(`the ClickHouse HTTP front exited before listening:\n${logs.join('\n')}`)))
  })
}
