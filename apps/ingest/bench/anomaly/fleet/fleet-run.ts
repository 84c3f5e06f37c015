/**
 * One run of the real demo fleet through a real server, on demo time (time-warp.ts), with the
 * server's own detector driven once per demo minute: what `pnpm bench:anomaly --fleet` scores and
 * what the fleet acceptance test asserts. The server's scheduler must be off; the detector is
 * called with the warped clock, lagging the fleet by `realLagMs` of wall time so the spans of the
 * minute being judged have been exported, stored and resolved (exporter delay 1 s, quiet window).
 */
import { scheduledWindows, type ScheduledWindow } from '@sightline/demo/timeline'
import { startFleet, type Fleet } from '@sightline/demo/fleet'
import type { TestServer } from '../../../test/helpers/server.js'
import { installTimeWarp, warpMs, type TimeWarp } from './time-warp.js'

const MIN = 60_000

export interface FleetRunOptions {
  server: TestServer
  apiKey: string
  /** Stored time of the run's first demo instant (minute-aligned). */
  anchorMs: number
  startMinute: number
  /** Demo minutes of traffic. */
  minutes: number
  timeScale: number
  rate?: number
  seed?: number
  realLagMs?: number
  /** Called once the fleet is up (e.g. to add regression-runner traffic); awaited before the run ends. */
  alongside?: (fleet: Fleet, warp: TimeWarp) => Promise<void>
  log?: (line: string) => void
}

export interface FleetRunResult {
  anchorMs: number
  endMs: number
  /** What the demo scheduled, in stored time. */
  windows: Array<ScheduledWindow & { fromMs: number; toMs: number }>
  evaluations: number
  /** Wall-clock ms the slowest evaluation took. */
  slowestEvaluationMs: number
  unwarpedSpans: number
}

/** One warp hook per server; each run sets the warp it reads while the run lasts. */
const hooks = new WeakMap<TestServer, { warp: TimeWarp | undefined; unwarped: () => number }>()

function hookOf(server: TestServer) {
  let hook = hooks.get(server)
  if (!hook) {
    const state: { warp: TimeWarp | undefined; unwarped: () => number } = { warp: undefined, unwarped: () => 0 }
    state.unwarped = installTimeWarp(server.deps.writer, () => state.warp).unwarped
    hooks.set(server, (hook = state))
  }
  return hook
}

export async function runFleet(options: FleetRunOptions): Promise<FleetRunResult> {
  const { server } = options
  const log = options.log ?? (() => {})
  const hook = hookOf(server)
  const realLagMs = options.realLagMs ?? 3000
  const fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: options.apiKey,
    seed: options.seed ?? 1,
    rate: options.rate ?? 30,
    timeScale: options.timeScale,
    startMinute: options.startMinute,
    portBase: 0,
    log: (line) => {
      if (/error|fail|warn/i.test(line) && !/traffic: \d+ traces sent/.test(line)) log(line)
    },
  })
  let alongside: Promise<void> = Promise.resolve()
  let evaluations = 0
  let slowest = 0
  const endMs = options.anchorMs + options.minutes * MIN
  try {
    const started = await fleet.trafficStarted
    const warp: TimeWarp = { realStartMs: started.startedAtMs, anchorMs: options.anchorMs, scale: options.timeScale }
    hook.warp = warp
    alongside = options.alongside?.(fleet, warp) ?? Promise.resolve()
    let next = options.anchorMs + MIN
    while (next <= endMs) {
      const visible = warpMs(warp, Date.now() - realLagMs)
      if (visible < next) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(20, (next - visible) * warp.scale)))
        continue
      }
      const t0 = Date.now()
      const { phasesMs } = await server.deps.detector.evaluate(next)
      slowest = Math.max(slowest, Date.now() - t0)
      const took = Date.now() - t0
      if (took > 0.4 * MIN * warp.scale)
        log(
          `fleet run: demo minute ${(next - options.anchorMs) / MIN} took ${took} ms to evaluate ` +
            `(${JSON.stringify(phasesMs)})`,
        )
      evaluations++
      if ((next - options.anchorMs) % (5 * MIN) === 0)
        log(`fleet run: demo minute ${(next - options.anchorMs) / MIN} evaluated (${Date.now() - t0} ms)`)
      next += MIN
    }
    await alongside
  } finally {
    await fleet.stop()
    await server.drain()
    hook.warp = undefined
  }
  const windows = scheduledWindows(options.startMinute, options.minutes).map((w) => ({
    ...w,
    fromMs: options.anchorMs + w.fromMinute * MIN,
    toMs: options.anchorMs + w.toMinute * MIN,
  }))
  return {
    anchorMs: options.anchorMs,
    endMs,
    windows,
    evaluations,
    slowestEvaluationMs: slowest,
    unwarpedSpans: hook.unwarped(),
  }
}
