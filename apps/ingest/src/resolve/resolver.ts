/**
 * The resolver stage: after a trace's spans are in the store, resolve the trace (packages/core
 * `resolveTrace`) and store the answer in `traces`, whose rollup view feeds the dashboards.
 *
 * When: a trace is resolved once it has been quiet for `quietMs` (its spans tend to arrive in a burst
 * of exporter batches), at the latest `maxDelayMs` after it first changed, and again whenever a late
 * span arrives. A trace whose root has not arrived stays `running` until it has been quiet for
 * `settleMs`; a sweep then judges it from the spans it has.
 *
 * Exactly once: a new state is inserted together with the row that cancels the previous one, under
 * a deterministic deduplication token, and only when the content changed; re-sent spans, a replayed
 * spool or a restart resolve to the same content and change nothing.
 *
 * One resolver at a time: with several ingest replicas on one store, only the holder of the
 * `resolver` lease resolves (two at once would both cancel the same row). It learns of spans stored
 * through its own replica at once (`notify`) and of everyone's from `resolve_queue`
 * (queue-follower.ts), whose durable cursor lets a new leader (fail-over, restart) pick up what the
 * previous one had not finished. A migration that asks for every trace to be resolved again sets the
 * `watermark` state; the leader's catch-up then resolves every trace active since it.
 */
import { chTime } from '../db/sql.js'
import type { ResolutionRepository } from '../db/repositories/resolution.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { BatchWriter, type EvaluationSpansListener, type JudgedTracesListener } from './batch-writer.js'
import { catchUp } from './catch-up.js'
import { NotLeader, type Leadership } from './leadership.js'
import type { PriceOverrideLookup } from './overrides.js'
import { QueueFollower } from './queue-follower.js'

export interface ResolverOptions {
  quietMs: number
  maxDelayMs: number
  settleMs: number
  /** Traces resolved per store round trip. */
  batchSize: number
  /** How often the loop looks for due traces. */
  tickMs: number
  /** How often the leader reads `resolve_queue`. */
  pollMs: number
  /**
   * How long resolution may wait for ingest to catch up (`ingestBacklogged`): a trace first seen that
   * long ago is resolved even while the loader is behind, so a sustained burst delays answers, never loses them.
   */
  maxDeferMs: number
  /** A step of the loop starts no new batch after this long; the next step reads the queue first. */
  stepBudgetMs: number
}

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = {
  quietMs: 1_000,
  maxDelayMs: 10_000,
  settleMs: 300_000,
  batchSize: 2_000,
  tickMs: 200,
  pollMs: 1_000,
  maxDeferMs: 30_000,
  stepBudgetMs: 2_000,
}

interface Pending {
  projectId: string
  traceId: string
  firstMs: number
  lastMs: number
  /** Store time of its queue entry, once the queue showed it (holds the durable cursor back). */
  queuedMs?: number
}

export type { Leadership } from './leadership.js'

const SEP = '\u0000'

export class TraceResolver {
  private readonly pending = new Map<string, Pending>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false
  private lastSweepMs = 0
  private lastSaveMs = 0
  private lastPollMs = 0
  private readonly follower: QueueFollower
  /** After a failure (store down), ticks are skipped until then: one warning per back-off, not five a second. */
  private backoffUntilMs = 0
  private failures = 0
  /** Rotates which project's batch a step starts with. */
  private turn = 0
  private catchUp: Promise<void> | undefined
  /** Every resolution runs through this chain: two resolutions of one trace at once would both cancel the same row. */
  private exclusive: Promise<unknown> = Promise.resolve()
  private readonly writer: BatchWriter

  constructor(
    private readonly repository: ResolutionRepository,
    private readonly overrides: PriceOverrideLookup,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly leadership: Leadership,
    private readonly options: ResolverOptions = DEFAULT_RESOLVER_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {
    this.follower = new QueueFollower(repository)
    this.writer = new BatchWriter(repository, overrides, metrics, leadership, options.settleMs, now)
  }

  /**
   * Whether ingest is behind (sealed spool segments wait for the store). Acknowledged spans reaching
   * the store come first: resolution shares the process and the store's cores with the loader, and
   * what it computes can wait a few seconds while spans that are not yet stored cannot be read at all.
   */
  ingestBacklogged: () => boolean = () => false

  /** Spans carrying evaluation results, after each resolution (the catch-up too): src/eval reads them as scores. */
  set onEvaluationSpans(listener: EvaluationSpansListener | undefined) {
    this.writer.onEvaluationSpans = listener
  }

  /** Traces just resolved to a final outcome (the catch-up too): src/eval settles scores written before their root. */
  set onJudgedTraces(listener: JudgedTracesListener | undefined) {
    this.writer.onJudgedTraces = listener
  }

  /** Starts the loop; it resolves while this replica holds the lease. */
  start(): void {
    this.stopped = false
    this.timer = setInterval(() => this.tick(), this.options.tickMs)
    this.timer.unref()
  }

  /** Traces whose spans just reached the store through this replica (keys `project\0trace`). */
  notify(traceKeys: Iterable<string>): void {
    // Not the leader: the leader reads them from the queue.
    if (!this.leadership.held) return
    const now = this.now()
    for (const key of traceKeys) {
      const entry = this.pending.get(key)
      if (entry) entry.lastMs = now
      else {
        const [projectId = '', traceId = ''] = key.split(SEP)
        this.pending.set(key, { projectId, traceId, firstMs: now, lastMs: now })
      }
    }
    this.metrics.resolverPending.set(this.pending.size)
  }

  /**
   * Queues every trace that called `model` since `fromIso` to be resolved again (a price changed),
   * for whichever replica leads. Returns how many.
   */
  reprice(projectId: string, model: string, fromIso: string): Promise<number> {
    return this.repository.enqueueModelTraces(projectId, model, fromIso)
  }

  /** Leader only: resolves everything known so far, quiet or not, the queue included (tests, shutdown). */
  async drain(): Promise<void> {
    await this.running
    if (!this.leadership.held) return
    if (!this.follower.following) await this.takeOver()
    await this.catchUp
    await this.pollQueue(Number.POSITIVE_INFINITY)
    for (let attempt = 0; this.pending.size > 0; attempt++) {
      try {
        await this.resolveDue(Number.POSITIVE_INFINITY)
      } catch (err) {
        if (attempt >= 5) throw err
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt))
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.drain().catch((err: unknown) =>
      this.logger.warn('trace resolver stopped with work left; the catch-up will redo it', { err }),
    )
    this.stopped = true
  }

  private tick(): void {
    if (this.running || this.stopped || this.now() < this.backoffUntilMs) return
    this.running = this.step().finally(() => (this.running = undefined))
  }

  private async step(): Promise<void> {
    try {
      if (!this.leadership.held) return this.standDown()
      if (!this.follower.following) await this.takeOver()
      await this.pollQueue(this.now())
      await this.resolveDue(this.now())
      await this.sweepUnsettled()
      await this.saveProgress()
      this.failures = 0
    } catch (err) {
      if (err instanceof NotLeader) return this.standDown()
      this.failures += 1
      const delayMs = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7))
      this.backoffUntilMs = this.now() + delayMs
      this.logger.warn('trace resolution failed; traces stay pending and are retried', {
        attempt: this.failures,
        retryInMs: delayMs,
        err,
      })
    }
  }

  /** Leadership taken: follow the queue from the durable cursor, and run any catch-up a migration asked for. */
  private async takeOver(): Promise<void> {
    await this.follower.begin()
    this.lastPollMs = 0
    this.catchUp = this.runCatchUp().catch((err: unknown) => {
      if (!(err instanceof NotLeader)) this.logger.error('trace resolver catch-up failed', { err })
    })
  }

  /** Leadership lost: forget what is pending; the next leader finds it in the queue. */
  private standDown(): void {
    if (!this.follower.following && this.pending.size === 0) return
    this.logger.info('trace resolver stands down (lease not held)', { pending: this.pending.size })
    this.follower.end()
    this.pending.clear()
    this.metrics.resolverPending.set(0)
  }

  /** New queue entries become pending; a price change first drops that project's cached prices. */
  private async pollQueue(now: number): Promise<void> {
    if (now - this.lastPollMs < this.options.pollMs) return
    this.lastPollMs = Math.min(now, this.now())
    const entries = await this.follower.poll()
    const seenAt = this.now()
    for (const entry of entries) {
      if (entry.reason === 'reprice') this.overrides.invalidate(entry.projectId)
      const key = `${entry.projectId}${SEP}${entry.traceId}`
      const pending = this.pending.get(key)
      if (pending) {
        pending.lastMs = Math.max(pending.lastMs, seenAt)
        pending.queuedMs = Math.min(pending.queuedMs ?? entry.insertedMs, entry.insertedMs)
      } else {
        this.pending.set(key, {
          projectId: entry.projectId,
          traceId: entry.traceId,
          firstMs: seenAt,
          lastMs: seenAt,
          queuedMs: entry.insertedMs,
        })
      }
    }
    this.metrics.resolverPending.set(this.pending.size)
  }

  /** Resolves the traces due at `now` (all of them for +Infinity), a batch per project at a time. */
  private async resolveDue(now: number): Promise<void> {
    const { quietMs, maxDelayMs, batchSize } = this.options
    const deferring = Number.isFinite(now) && this.ingestBacklogged()
    let held = false
    const byProject = new Map<string, Pending[]>()
    for (const p of this.pending.values()) {
      if (now - p.lastMs < quietMs && now - p.firstMs < maxDelayMs) continue
      if (deferring && now - p.firstMs < this.options.maxDeferMs) {
        held = true
        continue
      }
      const list = byProject.get(p.projectId)
      if (list) list.push(p)
      else byProject.set(p.projectId, [p])
    }
    if (held) this.metrics.resolverDeferredTicks.inc()
    // A backlog (a bulk load, a restart) is worked through a step at a time, the projects' batches in
    // turn: between steps the queue is read again, and an entry whose trace is still pending joins it,
    // where one pass over a million traces let the queue fall minutes behind and resolve each again.
    // Each step starts with the next project, so that no project waits behind another's backlog.
    const deadline = Number.isFinite(now) ? performance.now() + this.options.stepBudgetMs : Number.POSITIVE_INFINITY
    const lists = [...byProject.values()]
    lists.push(...lists.splice(0, this.turn++ % Math.max(1, lists.length)))
    let batches = 0
    rounds: for (let offset = 0; lists.some((list) => offset < list.length); offset += batchSize) {
      for (const list of lists) {
        if (offset >= list.length) continue
        if (batches++ > 0 && performance.now() >= deadline) break rounds
        const batch = list.slice(offset, offset + batchSize)
        // A span arriving while the batch resolves re-marks its trace; only unchanged entries are done.
        const seen = new Map(batch.map((p) => [`${p.projectId}${SEP}${p.traceId}`, p.lastMs]))
        await this.resolveBatch(
          batch[0]!.projectId,
          batch.map((p) => p.traceId),
        )
        for (const [key, lastMs] of seen) if (this.pending.get(key)?.lastMs === lastMs) this.pending.delete(key)
        // A backlog of a million traces takes minutes: the gauge follows it batch by batch.
        this.metrics.resolverPending.set(this.pending.size)
      }
    }
    this.metrics.resolverPending.set(this.pending.size)
  }

  /** Resolves traces of one project: reads their spans and current rows, writes what changed. */
  resolveBatch(projectId: string, traceIds: readonly string[]): Promise<void> {
    const task = this.exclusive.then(() => this.writer.resolve(projectId, traceIds))
    this.exclusive = task.catch(() => undefined)
    return task
  }

  /** Running traces whose root never came, once quiet for `settleMs`: judged from what they have. */
  private async sweepUnsettled(): Promise<void> {
    const now = this.now()
    if (now - this.lastSweepMs < Math.min(60_000, this.options.settleMs)) return
    this.lastSweepMs = now
    const due = await this.repository.unsettled(chTime(Math.max(0, now - this.options.settleMs)), 10_000)
    for (const { projectId, traceId } of due) this.notifyOne(projectId, traceId, now - this.options.maxDelayMs)
  }

  private notifyOne(projectId: string, traceId: string, atMs: number): void {
    const key = `${projectId}${SEP}${traceId}`
    if (!this.pending.has(key)) this.pending.set(key, { projectId, traceId, firstMs: atMs, lastMs: atMs })
  }

  /** Durable progress, every 10 s: the queue cursor, held back by the oldest queued trace still pending. */
  private async saveProgress(): Promise<void> {
    const now = this.now()
    if (now - this.lastSaveMs < 10_000) return
    this.lastSaveMs = now
    let oldest: number | undefined
    for (const p of this.pending.values())
      if (p.queuedMs !== undefined && (oldest === undefined || p.queuedMs < oldest)) oldest = p.queuedMs
    await this.follower.save(oldest)
  }

  /** Resolves every trace active since the `watermark` a migration set (all of them when none was ever set). */
  private runCatchUp(): Promise<void> {
    return catchUp(this.repository, (projectId, traceIds) => this.resolveBatch(projectId, traceIds), {
      batchSize: this.options.batchSize,
      stopped: () => this.stopped,
      logger: this.logger,
    })
  }
}
