/**
 * Online evaluation: every `intervalMs`, each enabled evaluator takes the traces that match its
 * filter, ended at least `delaySeconds` ago (within the last day), are not running, are in its
 * sample (a hash of evaluator and trace, see core's isSampled) and were not evaluated by this
 * version yet, and evaluates at most `maxPerTick` of them, oldest first. Runs never overlap; a
 * failing evaluator is logged and the others go on; ingest never waits on any of it.
 */
import { isSampled } from '@sightline/core'
import { ListTracesQuerySchema, type Evaluator, type RunEvaluatorResponse } from '@sightline/schema'
import type { EvaluatorRepository } from '../db/repositories/evaluators.js'
import type { TraceListCursor, TraceListRepository } from '../db/repositories/trace-list.js'
import type { Logger } from '../logger.js'
import type { EvaluatorRunner } from './evaluator-runner.js'
import { JUDGE_SERVICE } from './judge-trace.js'
import { chTime } from '../db/sql.js'

const LOOKBACK_MS = 86_400_000
const PAGE = 500
const MAX_PAGES = 20

export class EvaluatorScheduler {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  private stopped = false

  constructor(
    private readonly evaluators: EvaluatorRepository,
    private readonly traceList: TraceListRepository,
    private readonly runner: EvaluatorRunner,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly maxPerTick = 50,
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
  }

  /** One pass over every enabled evaluator of every project. */
  async runDue(nowMs = Date.now()): Promise<RunEvaluatorResponse> {
    const total = { evaluated: 0, skipped: 0, errors: 0 }
    for (const { projectId, evaluator } of await this.evaluators.listEnabled()) {
      try {
        const r = await this.runEvaluator(projectId, evaluator, nowMs)
        total.evaluated += r.evaluated
        total.skipped += r.skipped
        total.errors += r.errors
      } catch (err) {
        this.logger.warn('evaluator pass failed; next pass retries', { projectId, evaluator: evaluator.id, err })
      }
    }
    return total
  }

  /** Evaluates the due traces of one evaluator (the API's "run now" calls this too). */
  async runEvaluator(projectId: string, evaluator: Evaluator, nowMs = Date.now()): Promise<RunEvaluatorResponse> {
    const due = await this.dueTraces(projectId, evaluator, nowMs)
    const result = { evaluated: 0, skipped: 0, errors: 0 }
    for (const traceId of due) {
      if (this.stopped) break
      const status = await this.runner.run(projectId, evaluator, traceId)
      if (status === 'ok') result.evaluated++
      else if (status === 'skipped_budget') result.skipped++
      else result.errors++
    }
    return result
  }

  private async dueTraces(projectId: string, evaluator: Evaluator, nowMs: number): Promise<string[]> {
    const endedBefore = nowMs - evaluator.delaySeconds * 1000
    const filter = ListTracesQuerySchema.parse(evaluator.filter)
    const due: string[] = []
    let cursor: TraceListCursor | undefined
    for (let page = 0; page < MAX_PAGES && due.length < this.maxPerTick; page++) {
      const { traces, last } = await this.traceList.list(projectId, {
        ...filter,
        sort: 'startTime',
        order: 'asc',
        limit: PAGE,
        from: chTime(nowMs - LOOKBACK_MS),
        to: chTime(endedBefore),
        cursor,
      })
      const candidates = traces
        .filter(
          (t) =>
            t.outcome !== 'running' &&
            Date.parse(t.endTime) <= endedBefore &&
            !t.serviceNames.includes(JUDGE_SERVICE) &&
            isSampled(evaluator.id, t.traceId, evaluator.sampleRate),
        )
        .map((t) => t.traceId)
      const done = await this.evaluators.evaluatedTraces(projectId, evaluator.id, evaluator.version, candidates)
      due.push(...candidates.filter((id) => !done.has(id)).slice(0, this.maxPerTick - due.length))
      if (!last) break
      cursor = last
    }
    return due
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .catch((err: unknown) => this.logger.error('online evaluation failed', { err }))
        .finally(() => {
          this.running = undefined
          this.schedule()
        })
    }, this.intervalMs)
    this.timer.unref()
  }
}
