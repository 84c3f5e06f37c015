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
 * spool or a restart resolve to the same content and change nothing. After a restart, traces that
 * received spans since the durable watermark are resolved again (the catch-up), so nothing that was
 * stored but not yet resolved is missed.
 */
import { createHash } from 'node:crypto'
import { resolveTrace, SpanFlag } from '@sightline/core'
import type { ResolutionRepository, TraceBounds, TraceSpans } from '../db/repositories/resolution.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { factsFromRow } from './span-facts.js'
import { cancelRow, contentHash, newTraceRow, traceRowContent, type TraceRow } from './trace-row.js'
import type { PriceOverrideLookup } from './overrides.js'
import type { SpanFacts } from '@sightline/core'

export interface ResolverOptions {
  quietMs: number
  maxDelayMs: number
  settleMs: number
  /** Traces resolved per store round trip. */
  batchSize: number
  /** How often the loop looks for due traces. */
  tickMs: number
}

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = { quietMs: 1_000, maxDelayMs: 10_000, settleMs: 300_000, batchSize: 500, tickMs: 200 }

interface Pending {
  projectId: string
  traceId: string
  firstMs: number
  lastMs: number
}

const WATERMARK = 'watermark'
/** Clock skew and in-flight inserts the watermark leaves room for. */
const WATERMARK_MARGIN_MS = 60_000
const SEP = '\u0000'

export class TraceResolver {
  private readonly pending = new Map<string, Pending>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false
  private lastSweepMs = 0
  private lastWatermarkMs = 0
  private lastWatermark = ''
  /** After a failure (store down), ticks are skipped until then: one warning per back-off, not five a second. */
  private backoffUntilMs = 0
  private failures = 0
  private catchUp: Promise<void> | undefined
  /** Every resolution runs through this chain: two resolutions of one trace at once would both cancel the same row. */
  private exclusive: Promise<unknown> = Promise.resolve()
  /** Spans carrying evaluation results, after each resolution (the catch-up too): src/eval reads them as scores. */
  onEvaluationSpans: ((projectId: string, spans: Array<{ traceId: string; spanId: string }>) => void) | undefined

  constructor(
    private readonly repository: ResolutionRepository,
    private readonly overrides: PriceOverrideLookup,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly options: ResolverOptions = DEFAULT_RESOLVER_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts the loop and the catch-up of whatever was stored but not resolved before a restart. */
  start(): void {
    this.stopped = false
    this.timer = setInterval(() => this.tick(), this.options.tickMs)
    this.timer.unref()
    this.catchUp = this.runCatchUp().catch((err: unknown) => this.logger.error('trace resolver catch-up failed', { err }))
  }

  /** Traces whose spans just reached the store (keys `project\0trace`). */
  notify(traceKeys: Iterable<string>): void {
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

  /** Resolves again (at once) every trace that called `model` since `fromIso`: a price changed. Returns how many. */
  async reprice(projectId: string, model: string, fromIso: string): Promise<number> {
    const traceIds = await this.repository.tracesWithModel(projectId, model, fromIso)
    const due = this.now() - this.options.maxDelayMs
    for (const traceId of traceIds) this.notifyOne(projectId, traceId, due)
    this.metrics.resolverPending.set(this.pending.size)
    return traceIds.length
  }

  /** Resolves everything notified so far, quiet or not (tests, shutdown). */
  async drain(): Promise<void> {
    await this.catchUp
    await this.running
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
    await this.drain().catch((err: unknown) => this.logger.warn('trace resolver stopped with work left; the catch-up will redo it', { err }))
    this.stopped = true
  }

  private tick(): void {
    if (this.running || this.stopped || this.now() < this.backoffUntilMs) return
    this.running = this.step().finally(() => (this.running = undefined))
  }

  private async step(): Promise<void> {
    try {
      await this.resolveDue(this.now())
      await this.sweepUnsettled()
      await this.advanceWatermark()
      this.failures = 0
    } catch (err) {
      this.failures += 1
      const delayMs = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7))
      this.backoffUntilMs = this.now() + delayMs
      this.logger.warn('trace resolution failed; traces stay pending and are retried', { attempt: this.failures, retryInMs: delayMs, err })
    }
  }

  /** Resolves the traces due at `now` (all of them for +Infinity), a batch per project at a time. */
  private async resolveDue(now: number): Promise<void> {
    const { quietMs, maxDelayMs, batchSize } = this.options
    const due = [...this.pending.values()].filter((p) => now - p.lastMs >= quietMs || now - p.firstMs >= maxDelayMs)
    const byProject = new Map<string, Pending[]>()
    for (const p of due) byProject.set(p.projectId, [...(byProject.get(p.projectId) ?? []), p])
    for (const [projectId, list] of byProject) {
      for (let i = 0; i < list.length; i += batchSize) {
        const batch = list.slice(i, i + batchSize)
        // A span arriving while the batch resolves re-marks its trace; only unchanged entries are done.
        const seen = new Map(batch.map((p) => [`${p.projectId}${SEP}${p.traceId}`, p.lastMs]))
        await this.resolveBatch(projectId, batch.map((p) => p.traceId))
        for (const [key, lastMs] of seen) if (this.pending.get(key)?.lastMs === lastMs) this.pending.delete(key)
      }
    }
    this.metrics.resolverPending.set(this.pending.size)
  }

  /** Resolves traces of one project: reads their spans and current rows, writes what changed. */
  resolveBatch(projectId: string, traceIds: readonly string[]): Promise<void> {
    const task = this.exclusive.then(() => this.resolveBatchNow(projectId, traceIds))
    this.exclusive = task.catch(() => undefined)
    return task
  }

  private async resolveBatchNow(projectId: string, traceIds: readonly string[]): Promise<void> {
    const started = performance.now()
    const bounds = await this.repository.bounds(projectId, traceIds)
    const price = await this.overrides.pricerFor(projectId)
    // Traces far apart in time are read in separate groups, so that one late span of an old trace
    // does not widen the time range every other trace of the batch is read over.
    for (const group of groupByTime(bounds)) await this.resolveGroup(projectId, group, price)
    this.metrics.tracesResolved.inc(bounds.length)
    this.metrics.resolveSeconds.observe((performance.now() - started) / 1000)
  }

  private async resolveGroup(projectId: string, bounds: TraceBounds[], price: (facts: SpanFacts[]) => void): Promise<void> {
    const from = bounds[0]!.startMin
    const to = bounds.reduce((max, b) => (b.startMax > max ? b.startMax : max), bounds[0]!.startMax)
    const ids = bounds.map((b) => b.traceId)
    const [traces, current] = await Promise.all([this.repository.spans(projectId, ids, from, to), this.repository.currentRows(projectId, ids, from, to)])
    const nowMs = this.now()
    const resolvedAt = new Date(nowMs).toISOString().replace('T', ' ').replace('Z', '')
    const rows: TraceRow[] = []
    for (const [i, trace] of traces.entries()) {
      // The resolver shares the event loop with acknowledgements: a pause every few traces keeps a
      // big batch from holding an OTLP answer back.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve))
      const next = this.stateOf(projectId, trace, nowMs, price)
      const stored = current.get(trace.traceId)
      if (stored?.content_hash === next.hash) continue
      const version = stored ? Number(stored.version) + 1 : 1
      if (stored) rows.push(cancelRow(stored))
      rows.push(newTraceRow(next.content, next.hash, version, trace.lastIngested, resolvedAt))
    }
    const token = createHash('sha256').update(rows.map((r) => `${String(r.trace_id)}:${String(r.version)}:${r.sign}`).join(',')).digest('hex')
    await this.repository.insert(rows, `resolve:${projectId}:${token}`)
    const evaluated = traces.flatMap((t) => t.rows.filter((r) => r.flags.includes(SpanFlag.evaluationResult)).map((r) => ({ traceId: t.traceId, spanId: r.span_id })))
    if (evaluated.length > 0) this.onEvaluationSpans?.(projectId, evaluated)
  }

  private stateOf(projectId: string, trace: TraceSpans, nowMs: number, price: (facts: SpanFacts[]) => void): { content: Record<string, unknown>; hash: string } {
    const facts = trace.rows.map(factsFromRow)
    price(facts)
    const { trace: resolved, contributions } = resolveTrace(facts, { settled: nowMs - trace.lastIngestedMs >= this.options.settleMs })
    const content = traceRowContent({ projectId, traceId: trace.traceId, startTime: trace.startTime, endTime: trace.endTime, lastIngested: trace.lastIngested }, resolved, contributions)
    return { content, hash: contentHash(content) }
  }

  /** Running traces whose root never came, once quiet for `settleMs`: judged from what they have. */
  private async sweepUnsettled(): Promise<void> {
    const now = this.now()
    if (now - this.lastSweepMs < Math.min(60_000, this.options.settleMs)) return
    this.lastSweepMs = now
    const due = await this.repository.unsettled(chTime(now - this.options.settleMs), 10_000)
    for (const { projectId, traceId } of due) this.notifyOne(projectId, traceId, now - this.options.maxDelayMs)
  }

  private notifyOne(projectId: string, traceId: string, atMs: number): void {
    const key = `${projectId}${SEP}${traceId}`
    if (!this.pending.has(key)) this.pending.set(key, { projectId, traceId, firstMs: atMs, lastMs: atMs })
  }

  /** Durable progress: every trace that received spans before the watermark has been resolved. */
  private async advanceWatermark(): Promise<void> {
    const now = this.now()
    if (now - this.lastWatermarkMs < 10_000) return
    this.lastWatermarkMs = now
    let oldest = now
    for (const p of this.pending.values()) if (p.firstMs < oldest) oldest = p.firstMs
    const watermark = chTime(oldest - WATERMARK_MARGIN_MS)
    if (watermark === this.lastWatermark) return
    await this.repository.writeState(WATERMARK, watermark)
    this.lastWatermark = watermark
  }

  private async runCatchUp(): Promise<void> {
    const since = (await this.repository.readState(WATERMARK)) ?? '1970-01-01 00:00:00.000'
    let after = { projectId: '', traceId: '' }
    let total = 0
    for (;;) {
      const page = await this.repository.activeSince(since, after, this.options.batchSize)
      if (page.length === 0) break
      const byProject = new Map<string, string[]>()
      for (const { projectId, traceId } of page) byProject.set(projectId, [...new Set([...(byProject.get(projectId) ?? []), traceId])])
      for (const [projectId, traceIds] of byProject) await this.resolveBatch(projectId, traceIds)
      total += page.length
      after = page[page.length - 1]!
      if (this.stopped) return
    }
    if (total > 0) this.logger.info('trace resolver caught up', { since, traces: total })
  }
}

const YIELD_EVERY = 50

/** Spans of one read stay within this much start time. */
const GROUP_SPAN_MS = 6 * 3_600_000

function groupByTime(bounds: readonly TraceBounds[]): TraceBounds[][] {
  const sorted = [...bounds].sort((a, b) => (a.startMin < b.startMin ? -1 : a.startMin > b.startMin ? 1 : 0))
  const groups: TraceBounds[][] = []
  let current: TraceBounds[] = []
  let groupStart = Number.NaN
  for (const b of sorted) {
    const end = Date.parse(`${b.startMax.replace(' ', 'T').slice(0, 23)}Z`)
    const start = Date.parse(`${b.startMin.replace(' ', 'T').slice(0, 23)}Z`)
    if (current.length > 0 && end - groupStart > GROUP_SPAN_MS) {
      groups.push(current)
      current = []
    }
    if (current.length === 0) groupStart = start
    current.push(b)
  }
  if (current.length > 0) groups.push(current)
  return groups
}

const chTime = (ms: number) => new Date(Math.max(0, ms)).toISOString().replace('T', ' ').replace('Z', '')
