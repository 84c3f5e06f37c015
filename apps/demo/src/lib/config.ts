/**
 * Environment of the demo processes. Every address a process talks to comes from env, so a
 * regression harness can put replay servers in place of the MCP server or a sub-agent.
 */
import { CYCLE_MINUTES } from '../traffic/timeline.js'

export interface DemoConfig {
  sightlineUrl: string
  sightlineApiKey: string | undefined
  seed: number
  /** Traces per minute of demo time. */
  rate: number
  /** Multiplies every simulated delay: 1 is real time, 0.02 runs fifty times faster. */
  timeScale: number
  /** Minute of the 30-minute traffic cycle the run starts at (0 ≤ m < 30), so a short run reaches any scenario. */
  startMinute: number
}

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`)
  return value
}

export function readConfig(): DemoConfig {
  const timeScale = numberEnv('DEMO_TIME_SCALE', 1)
  if (timeScale <= 0) throw new Error('DEMO_TIME_SCALE must be > 0')
  const startMinute = numberEnv('DEMO_START_MINUTE', 0)
  if (startMinute < 0 || startMinute >= CYCLE_MINUTES)
    throw new Error(`DEMO_START_MINUTE must be in [0, ${CYCLE_MINUTES}), got ${startMinute}`)
  return {
    sightlineUrl: process.env.SIGHTLINE_URL ?? 'http://127.0.0.1:4318',
    sightlineApiKey: process.env.SIGHTLINE_API_KEY || undefined,
    seed: numberEnv('DEMO_SEED', 1),
    rate: numberEnv('DEMO_RATE', 30),
    timeScale,
    startMinute,
  }
}

export function requireEnv(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

export { numberEnv }

/** Waits `ms` of demo time, i.e. `ms × DEMO_TIME_SCALE` of real time. */
export function sleep(ms: number, timeScale: number): Promise<void> {
  const real = Math.max(0, ms * timeScale)
  return new Promise((resolve) => setTimeout(resolve, real))
}
