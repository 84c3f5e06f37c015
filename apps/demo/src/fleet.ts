/**
 * Starts the demo fleet as child processes, each its own `service.name`:
 *
 *   tools-mcp ─┬─ researcher-agent ─┐
 *              ├─ executor-agent (1.4.0) ─┼─ planner-agent ── traffic
 *              └─ executor-agent (1.5.0-canary) ─┘
 *
 * Children report their URL over IPC when ready, so ports may be ephemeral (tests) or fixed from
 * DEMO_PORT_BASE (default 7300: planner 7300, tools 7301, researcher 7302, executor 7303, canary 7304).
 * stop() sends SIGTERM in reverse start order; each child flushes its spans before it exits.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TrafficDoneMessage, TrafficStartedMessage } from './bin/traffic.js'
import type { ReadyMessage } from './lib/service.js'
import type { TrafficStats } from './traffic/generator.js'

export interface FleetOptions {
  sightlineUrl: string
  sightlineApiKey?: string
  seed?: number
  rate?: number
  timeScale?: number
  /** Minute of the 30-minute traffic cycle to start at (default 0). */
  startMinute?: number
  /** Bounded run (tests); unlimited by default. */
  maxTraces?: number
  /** 0 picks free ports for every process. */
  portBase?: number
  plannerRelease?: 'buggy' | 'fixed'
  /** Without traffic the fleet only serves (a harness sends the tasks). */
  traffic?: boolean
  /** Share of answered runs the simulated users send feedback on (default 0.3). */
  feedbackShare?: number
  log?: (line: string) => void
}

interface FleetUrls {
  mcp: string
  researcher: string
  executor: string
  executorCanary: string
  planner: string
}

export interface Fleet {
  urls: FleetUrls
  /** Resolves when a bounded traffic run has been answered. */
  trafficDone: Promise<TrafficStats>
  /** Resolves as traffic starts, with the wall-clock time demo time is counted from. */
  trafficStarted: Promise<Omit<TrafficStartedMessage, 'type'>>
  /** Starts one more agent process (e.g. a second planner release) against this fleet. */
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

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const log = options.log ?? ((line: string) => console.log(line))
  const execArgv = childExecArgv()
  const children: ChildProcess[] = []
  const portBase = options.portBase ?? 7300
  const port = (offset: number) => String(portBase === 0 ? 0 : portBase + offset)
  const baseEnv: Record<string, string> = {
    SIGHTLINE_URL: options.sightlineUrl,
    ...(options.sightlineApiKey ? { SIGHTLINE_API_KEY: options.sightlineApiKey } : {}),
    DEMO_SEED: String(options.seed ?? 1),
    DEMO_RATE: String(options.rate ?? 30),
    DEMO_TIME_SCALE: String(options.timeScale ?? 1),
    DEMO_START_MINUTE: String(options.startMinute ?? 0),
  }
  let resolveTraffic: (stats: TrafficStats) => void = () => {}
  const trafficDone = new Promise<TrafficStats>((resolve) => (resolveTraffic = resolve))
  let resolveStarted: (started: Omit<TrafficStartedMessage, 'type'>) => void = () => {}
  const trafficStarted = new Promise<Omit<TrafficStartedMessage, 'type'>>((resolve) => (resolveStarted = resolve))

  const spawn = (entry: string, env: Record<string, string>): Promise<string> =>
    new Promise((resolve, reject) => {
      const file = path.join(here, 'bin', `${entry}${fromSource ? '.ts' : '.js'}`)
      const child = fork(file, [], {
        env: { ...process.env, ...baseEnv, ...env },
        execArgv,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Own process group: Ctrl-C reaches only the fleet, which stops children in order (traffic first).
        detached: true,
      })
      children.push(child)
      const prefix = (chunk: Buffer) =>
        chunk
          .toString('utf8')
          .trimEnd()
          .split('\n')
          .forEach((line) => log(`[${entry}] ${line}`))
      child.stdout?.on('data', prefix)
      child.stderr?.on('data', prefix)
      child.on('message', (message: ReadyMessage | TrafficDoneMessage | TrafficStartedMessage) => {
        if (message.type === 'ready') resolve(message.url)
        if (message.type === 'traffic-done') resolveTraffic(message.stats)
        if (message.type === 'traffic-started')
          resolveStarted({
            startedAtMs: message.startedAtMs,
            startMinute: message.startMinute,
            timeScale: message.timeScale,
          })
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

  try {
    const mcpBase = await spawn('tools-mcp', { PORT: port(1) })
    const mcp = `${mcpBase}/mcp`
    const [researcher, executor, executorCanary] = await Promise.all([
      spawn('researcher', { PORT: port(2), MCP_URL: mcp }),
      spawn('executor', { PORT: port(3), MCP_URL: mcp, EXECUTOR_RELEASE: 'stable' }),
      spawn('executor', { PORT: port(4), MCP_URL: mcp, EXECUTOR_RELEASE: 'canary' }),
    ])
    const agentEnv = {
      MCP_URL: mcp,
      RESEARCHER_URL: researcher,
      EXECUTOR_URL: executor,
      EXECUTOR_CANARY_URL: executorCanary,
    }
    const planner = await spawn('planner', {
      ...agentEnv,
      PORT: port(0),
      PLANNER_RELEASE: options.plannerRelease ?? 'buggy',
    })
    if (options.traffic !== false) {
      await spawn('traffic', {
        PLANNER_URL: planner,
        ...(options.maxTraces !== undefined ? { DEMO_MAX_TRACES: String(options.maxTraces) } : {}),
        ...(options.feedbackShare !== undefined ? { DEMO_FEEDBACK_SHARE: String(options.feedbackShare) } : {}),
      })
    }
    return {
      urls: { mcp, researcher, executor, executorCanary, planner },
      trafficDone,
      trafficStarted,
      spawn: (entry, env) => spawn(entry, { ...agentEnv, PORT: '0', ...env }),
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}
