import type { Logger } from '../logger.js'
import type { AnomalyDetector } from './detector.js'
import type { AlertNotifier } from './webhooks.js'

/**
 * Runs `detector.evaluate(Date.now())` every `intervalMs` in the server process. Runs never
 * overlap (a slow one delays the next), failures are logged and the loop goes on, and ingest
 * never waits on any of it. `intervalMs = 0` disables it.
 */
export class DetectionScheduler {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor(
    private readonly detector: AnomalyDetector,
    private readonly notifier: AlertNotifier,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return
    this.stopped = false
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
    await this.notifier.drain()
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined
        this.schedule()
      })
    }, this.intervalMs)
    this.timer.unref()
  }

  private async runOnce(): Promise<void> {
    const started = Date.now()
    try {
      const { opened, resolved, phasesMs } = await this.detector.evaluate(this.clock())
      this.logger.debug('anomaly evaluation', {
        ms: Date.now() - started,
        opened: opened.length,
        resolved: resolved.length,
        phasesMs,
      })
    } catch (err) {
      this.logger.error('anomaly evaluation failed', { err })
    }
  }
}
