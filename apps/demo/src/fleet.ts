/**
 * Starts the demo fleet as child processes, each its own `service.name`:
 *
 *   tools-mcp ─┬─ researcher-agent ─┐
 *              ├─ executor-agent (1.4.0) ─┼─ planner-agent ── traffic
 *              └─ executor-agent (1.5.0-canary) ─┘
 *
 * The processes are started by launcher.ts (URLs over IPC, stop in reverse order), so ports may be
 * ephemeral (tests) or fixed from DEMO_PORT_BASE (default 7300: planner 7300, tools 7301, researcher
 * 7302, executor 7303, canary 7304).
 */
import type { TrafficStartedMessage } from './bin/traffic.js'
import { startLauncher } from './launcher.js'
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

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const log = options.log ?? ((line: string) => console.log(line))
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

  const { spawn, stop } = startLauncher({
    env: baseEnv,
    log,
    onMessage: (message) => {
      if (message.type === 'traffic-done') resolveTraffic(message.stats)
      if (message.type === 'traffic-started')
        resolveStarted({
          startedAtMs: message.startedAtMs,
          startMinute: message.startMinute,
          timeScale: message.timeScale,
        })
    },
    // Own process group: Ctrl-C reaches only the fleet, which stops children in order (traffic first).
    detached: true,
  })

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
