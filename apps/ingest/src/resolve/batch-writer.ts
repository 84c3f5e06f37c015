/**
 * The resolver's write side: reads a batch of traces' spans and current rows, resolves each trace
 * (packages/core `resolveTrace`), and inserts a new state with the row cancelling the previous one
 * only where the content changed, under a deduplication token derived from the rows (a replayed
 * batch is stored once). Callers serialise batches (resolver.ts): two at once could both cancel the
 * same row.
 */
import { chTime } from '../db/sql.js'
import { createHash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { resolveTrace, SpanFlag, type SpanFacts } from '@sightline/core'
import type { ResolutionRepository, TraceBounds, TraceSpans } from '../db/repositories/resolution.js'
import type { Metrics } from '../metrics.js'
import { NotLeader, type Leadership } from './leadership.js'
import type { PriceOverrideLookup } from './overrides.js'
import { factsFromRow } from './span-facts.js'
import { byRows, groupByTime } from './time-groups.js'
import { cancelRow, encodeContent, newTraceRowLine, traceRowContent, type EncodedContent } from './trace-row.js'

export type EvaluationSpansListener = (projectId: string, spans: Array<{ traceId: string; spanId: string }>) => void
/** Traces just resolved to a final outcome (root stored, or settled without one). */
export type JudgedTracesListener = (projectId: string, traceIds: string[]) => void

/**
 * The resolver shares the event loop with acknowledgements: a pause every this many traces keeps a big batch
 * from holding an OTLP answer back.
 */
const YIELD_EVERY = 50
/** Span rows read at once: a batch of small traces is one read; a 100,000-span trace is read on its own. */
const ROWS_PER_READ = 50_000

export class BatchWriter {
  onEvaluationSpans: EvaluationSpansListener | undefined
  onJudgedTraces: JudgedTracesListener | undefined

  constructor(
    private readonly repository: ResolutionRepository,
    private readonly overrides: PriceOverrideLookup,
    private readonly metrics: Metrics,
    private readonly leadership: Leadership,
    private readonly settleMs: number,
    private readonly now: () => number,
  ) {}

  /** Resolves traces of one project: reads their spans and current rows, writes what changed. */
  async resolve(projectId: string, traceIds: readonly string[]): Promise<void> {
    const started = performance.now()
    const bounds = await this.repository.bounds(projectId, traceIds)
    const price = await this.overrides.pricerFor(projectId)
    // Traces far apart in time are read in separate groups, so that one late span of an old trace
    // does not widen the time range every other trace of the batch is read over.
    for (const group of groupByTime(bounds)) await this.resolveGroup(projectId, group, price)
    this.metrics.tracesResolved.inc(bounds.length)
    this.metrics.resolveSeconds.observe((performance.now() - started) / 1000)
  }

  /** A group is read in parts of at most ROWS_PER_READ spans (a huge trace alone): memory stays bounded. */
  private async resolveGroup(
    projectId: string,
    bounds: TraceBounds[],
    price: (facts: SpanFacts[]) => void,
  ): Promise<void> {
    const from = bounds[0]!.startMin
    const to = bounds.reduce((max, b) => (b.startMax > max ? b.startMax : max), bounds[0]!.startMax)
    const ids = bounds.map((b) => b.traceId)
    const counts = await this.repository.spanCounts(projectId, ids, from, to)
    for (const part of byRows(ids, counts, ROWS_PER_READ)) await this.resolvePart(projectId, part, from, to, price)
  }

  private async resolvePart(
    projectId: string,
    ids: string[],
    from: string,
    to: string,
    price: (facts: SpanFacts[]) => void,
  ): Promise<void> {
    const [traces, current] = await Promise.all([
      this.repository.spans(projectId, ids, from, to),
      this.repository.currentRows(projectId, ids, from, to),
    ])
    const nowMs = this.now()
    const resolvedAt = chTime(nowMs)
    const lines: string[] = []
    const keys: string[] = []
    const judged: string[] = []
    for (const [i, trace] of traces.entries()) {
      if (i > 0 && i % YIELD_EVERY === 0) await nextTurn()
      const next = this.stateOf(projectId, trace, nowMs, price)
      if (next.content.outcome !== 'running') judged.push(trace.traceId)
      const stored = current.get(trace.traceId)
      if (stored?.content_hash === next.hash) continue
      const version = stored ? Number(stored.version) + 1 : 1
      if (stored) {
        lines.push(JSON.stringify(cancelRow(stored)))
        keys.push(`${trace.traceId}:${String(stored.version)}:-1`)
      }
      lines.push(newTraceRowLine(next, version, trace.lastIngested, resolvedAt))
      keys.push(`${trace.traceId}:${version}:1`)
    }
    if (!this.leadership.held && !(await this.leadership.confirm?.())) throw new NotLeader()
    const token = createHash('sha256').update(keys.join(',')).digest('hex')
    await this.repository.insertLines(lines, `resolve:${projectId}:${token}`)
    const evaluated = traces.flatMap((t) =>
      t.rows
        .filter((r) => r.flags.includes(SpanFlag.evaluationResult))
        .map((r) => ({ traceId: t.traceId, spanId: r.span_id })),
    )
    if (evaluated.length > 0) this.onEvaluationSpans?.(projectId, evaluated)
    if (judged.length > 0) this.onJudgedTraces?.(projectId, judged)
  }

  private stateOf(
    projectId: string,
    trace: TraceSpans,
    nowMs: number,
    price: (facts: SpanFacts[]) => void,
  ): EncodedContent {
    const facts = trace.rows.map(factsFromRow)
    price(facts)
    const { trace: resolved, contributions } = resolveTrace(facts, {
      settled: nowMs - trace.lastIngestedMs >= this.settleMs,
    })
    const content = traceRowContent(
      {
        projectId,
        traceId: trace.traceId,
        startTime: trace.startTime,
        endTime: trace.endTime,
        lastIngested: trace.lastIngested,
      },
      resolved,
      contributions,
    )
    return encodeContent(content)
  }
}
