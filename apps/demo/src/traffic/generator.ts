/**
 * The traffic generator plays the end users: it sends tasks to the planner over A2A at a Poisson
 * rate, scenario by timeline. It starts with a tour (every scenario once) so a fresh console, or a
 * short test run, has one of each. It sends no spans: users are not instrumented.
 */
import { TaskState } from '@a2a-js/sdk'
import { AgentClient } from '../a2a/call.js'
import { sleep, type DemoConfig } from '../lib/config.js'
import { messageText, TRACE_ID_METADATA } from '../a2a/messages.js'
import { FeedbackWidget } from './feedback.js'
import { mulberry32, weighted, type Rng } from '../lib/rng.js'
import { planRun, SCENARIOS, type RunPlan, type Scenario } from './scenarios.js'
import { CANARY_SHARE, weightsAt } from './timeline.js'

export interface TrafficStats {
  sent: number
  completed: number
  failed: number
  byScenario: Record<string, number>
  /** Runs the simulated users sent feedback on (thumbs, rating, text) through the SDK. */
  feedback: number
}

export interface TrafficOptions {
  config: DemoConfig
  plannerUrl: string
  /** Start no new run once this many traces are planned (tests); unlimited when undefined. */
  maxTraces?: number
  /** Share of answered runs the users react to (DEMO_FEEDBACK_SHARE); 0 sends none. */
  feedbackShare?: number
  log?: (line: string) => void
  /** Called once, as the first run starts, with the wall-clock time demo time is counted from. */
  onStart?: (startedAtMs: number) => void
}

/** A user reads the answer before the next turn of a session. */
const THINK_TIME_MS = 8000

export class TrafficGenerator {
  readonly stats: TrafficStats = { sent: 0, completed: 0, failed: 0, byScenario: {}, feedback: 0 }
  private readonly rng: Rng
  private readonly planner: AgentClient
  private readonly inFlight = new Set<Promise<void>>()
  private stopped = false
  private runs = 0
  /** Traces of the runs started so far: a session started near the end still gets all its turns. */
  private planned = 0

  constructor(private readonly options: TrafficOptions) {
    this.rng = mulberry32(options.config.seed)
    this.planner = new AgentClient(options.plannerUrl, 'planner-agent')
    this.feedback = new FeedbackWidget(options.config, options.feedbackShare ?? 0.3)
  }

  private readonly feedback: FeedbackWidget

  /** Resolves when `maxTraces` were sent and answered, or after stop(). */
  async run(): Promise<TrafficStats> {
    const { config } = this.options
    const startedAt = Date.now()
    this.options.onStart?.(startedAt)
    const tour: Scenario[] = [...SCENARIOS]
    while (!this.stopped && !this.reachedMax()) {
      const demoMs = config.startMinute * 60_000 + (Date.now() - startedAt) / config.timeScale
      const scenario = tour.shift() ?? weighted(this.rng, weightsAt(demoMs))
      const plan = planRun(this.rng, scenario, `run${config.seed}-${this.runs++}`, this.rng() < CANARY_SHARE)
      this.planned += plan.turns.length
      this.track(this.execute(plan))
      // Exponential inter-arrival times: a Poisson stream of `rate` runs per demo minute.
      await sleep((-Math.log(1 - this.rng()) * 60_000) / config.rate, config.timeScale)
    }
    // Runs still in flight may add feedback sends while we wait: wait until nothing is left.
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
    return this.stats
  }

  stop(): void {
    this.stopped = true
  }

  private reachedMax(): boolean {
    return this.options.maxTraces !== undefined && this.planned >= this.options.maxTraces
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise)
    void promise.finally(() => this.inFlight.delete(promise))
  }

  private async execute(plan: RunPlan): Promise<void> {
    for (const [i, turn] of plan.turns.entries()) {
      if (this.stopped) return
      if (i > 0) await sleep(THINK_TIME_MS, this.options.config.timeScale)
      this.stats.sent++
      this.stats.byScenario[plan.scenario] = (this.stats.byScenario[plan.scenario] ?? 0) + 1
      try {
        const task = await this.planner.sendRaw(turn)
        const ok = task.status?.state === TaskState.TASK_STATE_COMPLETED
        if (ok) this.stats.completed++
        else this.stats.failed++
        const traceId = task.metadata?.[TRACE_ID_METADATA]
        // Feedback goes out beside the run, as a user clicks while reading; a failure to send it is only logged.
        this.track(
          this.feedback
            .react(typeof traceId === 'string' ? traceId : '', ok, messageText(task.status?.message), turn.meta.userId)
            .then(
              (r) => void (r === 'sent' && this.stats.feedback++),
              (err: unknown) => this.options.log?.(`traffic: feedback not sent: ${String(err)}`),
            ),
        )
      } catch (err) {
        this.stats.failed++
        this.options.log?.(`traffic: ${plan.scenario} run failed to reach the planner: ${String(err)}`)
      }
    }
  }
}
