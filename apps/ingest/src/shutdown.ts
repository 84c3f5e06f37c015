/**
 * A graceful stop in named phases, under a deadline. Everything acknowledged is already fsynced in
 * the spool, so a stop that runs out of time loses nothing (the next start replays the spool); what
 * the deadline buys is an exit that names the phase that hung, before an orchestrator's SIGKILL
 * (Kubernetes waits 30 s by default), instead of a process that never ends.
 */
import type { Logger } from './logger.js'

export interface ShutdownPhase {
  name: string
  run: () => Promise<unknown>
}

export class Shutdown {
  /** The phase running now; undefined before the stop and after it. */
  current: string | undefined
  private stopping: Promise<void> | undefined

  constructor(
    private readonly phases: readonly ShutdownPhase[],
    private readonly logger: Logger,
  ) {}

  /** Runs the phases in order, once: a second call waits for the first. */
  run(): Promise<void> {
    this.stopping ??= this.runPhases()
    return this.stopping
  }

  private async runPhases(): Promise<void> {
    for (const phase of this.phases) {
      this.current = phase.name
      const started = performance.now()
      await phase.run()
      this.logger.info('shutdown phase done', { phase: phase.name, ms: Math.round(performance.now() - started) })
    }
    this.current = undefined
  }
}

export type StopOutcome = { done: true } | { done: false; phase: string | undefined }

/** Runs `shutdown`; past `timeoutMs` resolves with the phase still running (the stop itself goes on). */
export function stopWithin(shutdown: Shutdown, timeoutMs: number): Promise<StopOutcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false, phase: shutdown.current }), timeoutMs)
    shutdown.run().then(
      () => {
        clearTimeout(timer)
        resolve({ done: true })
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}
