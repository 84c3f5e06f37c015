/**
 * Process `traffic`: sends tasks to the planner. Env: PLANNER_URL, DEMO_SEED, DEMO_RATE (runs per
 * demo minute), DEMO_TIME_SCALE, DEMO_START_MINUTE (minute of the 30-minute cycle to start at),
 * DEMO_MAX_TRACES (stop after N; default: until stopped), DEMO_FEEDBACK_SHARE (share of answered
 * runs users send feedback on, default 0.3).
 */
import { requireEnv } from '../lib/config.js'
import { runService } from '../lib/service.js'
import { TrafficGenerator, type TrafficStats } from '../traffic/generator.js'

/** Sent to the fleet when a bounded run is over. */
export interface TrafficDoneMessage {
  type: 'traffic-done'
  stats: TrafficStats
}

/** Sent to the fleet as traffic starts: where demo time begins, so a harness can map it to the wall clock. */
export interface TrafficStartedMessage {
  type: 'traffic-started'
  startedAtMs: number
  startMinute: number
  timeScale: number
}

const maxRaw = process.env.DEMO_MAX_TRACES
const maxTraces = maxRaw ? Number(maxRaw) : undefined
const feedbackShare =
  process.env.DEMO_FEEDBACK_SHARE === undefined ? undefined : Number(process.env.DEMO_FEEDBACK_SHARE)

await runService({
  serviceName: 'traffic',
  serviceVersion: '1.0.0',
  traced: false,
  start: async (config) => {
    const plannerUrl = requireEnv('PLANNER_URL')
    const onStart = (startedAtMs: number) => {
      const message: TrafficStartedMessage = {
        type: 'traffic-started',
        startedAtMs,
        startMinute: config.startMinute,
        timeScale: config.timeScale,
      }
      process.send?.(message)
    }
    const generator = new TrafficGenerator({
      config,
      plannerUrl,
      maxTraces,
      feedbackShare,
      log: (line) => console.log(line),
      onStart,
    })
    const done = generator.run().then((stats) => {
      const message: TrafficDoneMessage = { type: 'traffic-done', stats }
      if (process.send) process.send(message)
      else console.log(`traffic: done ${JSON.stringify(stats)}`)
      return stats
    })
    const report = setInterval(() => {
      const { sent, completed, failed } = generator.stats
      console.log(`traffic: ${sent} traces sent, ${completed} completed, ${failed} failed`)
    }, 30_000)
    report.unref()
    return {
      url: plannerUrl,
      close: async () => {
        clearInterval(report)
        generator.stop()
        // Answers still in flight get a few seconds; the agents flush their own spans.
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000).unref())])
      },
    }
  },
})
