/**
 * Starts the demo's entry points (`bin/<entry>`) as child processes: the fleet (fleet.ts) and the
 * tests that need only some of its agents share this one launcher. Children report their URL over
 * IPC when ready, so ports may be ephemeral. stop() sends SIGTERM in reverse start order (each child
 * flushes its spans before it exits) and SIGKILL after 10 s.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TrafficDoneMessage, TrafficStartedMessage } from './bin/traffic.js'
import type { ReadyMessage } from './lib/service.js'

type ChildMessage = ReadyMessage | TrafficDoneMessage | TrafficStartedMessage

export interface LauncherOptions {
  /** Environment of every child, over the parent's; each spawn adds its own. */
  env: Record<string, string>
  log: (line: string) => void
  /** Every IPC message of a child (the traffic generator reports its progress this way). */
  onMessage?: (message: ChildMessage) => void
  /** Each child in its own process group: Ctrl-C reaches only the parent, which stops them in order. */
  detached?: boolean
}

export interface Launcher {
  /** Starts `bin/<entry>`; resolves to the URL it reports, rejects if it exits before. */
  spawn(entry: string, env: Record<string, string>): Promise<string>
  stop(): Promise<void>
}

const here = path.dirname(fileURLToPath(import.meta.url))
const fromSource = import.meta.url.endsWith('.ts')

/** Node flags for a child: sources run through tsx, built output runs as is. */
function childExecArgv(): string[] {
  if (!fromSource) return ['--enable-source-maps']
  const inherited = process.execArgv.find((arg) => arg.includes('/tsx/dist/loader.mjs'))
  let loader = inherited
  for (const base of ['../package.json', '../../../package.json', '../../ingest/package.json']) {
    if (loader) break
    const manifest = path.resolve(here, base)
    if (!existsSync(manifest)) continue
    try {
      loader = pathToFileURL(createRequire(manifest).resolve('tsx')).href
    } catch {
      // not installed there; try the next workspace package
    }
  }
  if (!loader) throw new Error('tsx not found: build the demo (pnpm build) or install tsx')
  return ['--conditions=@sightline/source', '--import', loader]
}

export function startLauncher(options: LauncherOptions): Launcher {
  const execArgv = childExecArgv()
  const children: ChildProcess[] = []
  const spawn = (entry: string, env: Record<string, string>): Promise<string> =>
    new Promise((resolve, reject) => {
      const file = path.join(here, 'bin', `${entry}${fromSource ? '.ts' : '.js'}`)
      const child = fork(file, [], {
        env: { ...process.env, ...options.env, ...env },
        execArgv,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        detached: options.detached ?? false,
      })
      children.push(child)
      const prefix = (chunk: Buffer) =>
        chunk
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .forEach((line) => options.log(`[${entry}] ${line}`))
      child.stdout?.on('data', prefix)
      child.stderr?.on('data', prefix)
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') resolve(message.url)
        options.onMessage?.(message)
      })
      child.once('exit', (code) => reject(new Error(`${entry} exited with code ${code} before it was ready`)))
    })

  const stop = async () => {
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
  return { spawn, stop }
}
