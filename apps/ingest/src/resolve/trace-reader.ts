/**
 * One trace as the query API returns it: its stored spans, resolved on read with the same
 * `resolveTrace` the resolver stage stores (same facts, same price overrides), so a trace's header,
 * its spans' counted roles and the list row it came from agree. Resolving on read also keeps a trace
 * that is still arriving up to date between two resolutions.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import {
  completeToolArguments,
  requestedToolCalls,
  resolveTrace,
  type Resolution,
  type ResolvedTrace,
  type SpanFacts,
} from '@sightline/core'
import {
  chTimeToIso,
  encodeFieldValues,
  spanRowToSpan,
  type Span,
  type SpanColumnField,
  type SpanColumnsWire,
  type SpanResolutionFields,
  type SpanRowRead,
  type TraceSummary,
} from '@sightline/schema'
import type { TraceListRepository } from '../db/repositories/trace-list.js'
import { skeletonRowAt, type SkeletonColumns, type TraceRepository } from '../db/repositories/traces.js'
import type { PriceOverrideLookup } from './overrides.js'
import { factsFromColumns, factsFromRow } from './span-facts.js'

export interface TraceView {
  trace: TraceSummary
  spans: Span[]
}

/**
 * Spans of the resolutions kept for the next request of the same trace: opening a trace and then
 * clicking its spans asks for the same resolution each time, and at 100k spans it takes seconds.
 */
const RECENT_SPANS_MAX = 150_000

type Bounds = NonNullable<Awaited<ReturnType<TraceRepository['bounds']>>>
/** A trace's skeleton in the wire's columns, or undefined for a trace the project does not have. */
type Part = { trace: TraceSummary; spans: SpanColumnsWire } | undefined
type Pricer = Awaited<ReturnType<PriceOverrideLookup['pricerFor']>>

/** A kept resolution is valid while the trace has received nothing new, is as settled, and prices are the same. */
interface ResolutionState {
  lastIngestedMs: number
  indexRows: number
  settled: boolean
  pricer: Pricer
}

interface Recent extends ResolutionState {
  columns: SkeletonColumns
  /** In the columns' row order. */
  resolution: ReadResolution
}

/** Spans (skeleton or full: the facts are the same) resolved as the resolver stage would, priced by `state`. */
function resolveFacts(facts: SpanFacts[], state: ResolutionState): ReadResolution {
  state.pricer(facts)
  const resolved = resolveTrace(facts, { settled: state.settled, contributions: false })
  const priced = new Map(
    facts.map((f) => [f.spanId, { costUsd: f.costUsd, costSource: f.costSource, isUnpriced: f.isUnpriced }]),
  )
  return { ...resolved, priced, facts }
}

export class TraceReader {
  /** Least recently used first (Map order), bounded by RECENT_SPANS_MAX spans in all. */
  private readonly recent = new Map<string, Recent>()
  private recentSpans = 0

  constructor(
    private readonly traces: TraceRepository,
    private readonly summaries: Pick<TraceListRepository, 'summary'>,
    private readonly prices: PriceOverrideLookup,
    private readonly settleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(projectId: string, traceId: string, view: 'full' | 'skeleton' = 'full'): Promise<TraceView | undefined> {
    const bounds = await this.traces.bounds(projectId, traceId)
    if (!bounds) return undefined
    let rows: SpanRowRead[]
    let resolution: ReadResolution
    if (view === 'skeleton') {
      const kept = await this.skeleton(projectId, traceId, bounds)
      rows = Array.from({ length: kept.columns.count }, (_, i) => skeletonRowAt(projectId, traceId, kept.columns, i))
      resolution = kept.resolution
    } else {
      // Full rows resolve as their skeleton does; a kept resolution saves that, and nothing is read twice.
      const [state, full] = await Promise.all([
        this.state(projectId, bounds),
        this.traces.rows(projectId, traceId, 'full', bounds),
      ])
      rows = full
      resolution = this.kept(projectId, traceId, state)?.resolution ?? resolveFacts(full.map(factsFromRow), state)
    }
    if (rows.length === 0) return undefined
    const trace = summaryOf(
      traceId,
      resolution.trace,
      timeRange(
        rows.map((r) => r.start_time),
        rows.map((r) => r.end_time),
      ),
    )
    // A skeleton has no payloads to complete arguments from (nor arguments to show).
    const completed = view === 'full' ? completedArguments(rows, resolution) : new Map<string, string>()
    return { trace, spans: rows.map((row) => toSpan(row, resolution, completed.get(row.span_id))) }
  }

  /**
   * The trace's skeleton in the wire's columns (`GET …/skeleton`), the same spans as `get(…, 'skeleton')`
   * encoded straight from the columns the store returned: at 100k spans, building a row and a span
   * object per span cost more than reading them.
   */
  async skeletonColumns(projectId: string, traceId: string): Promise<Part> {
    const bounds = await this.traces.bounds(projectId, traceId)
    return bounds && this.skeletonColumnsWithin(projectId, traceId, bounds)
  }

  private async skeletonColumnsWithin(projectId: string, traceId: string, bounds: Bounds): Promise<Part> {
    const { columns, resolution } = await this.skeleton(projectId, traceId, bounds)
    if (columns.count === 0) return undefined
    const trace = summaryOf(traceId, resolution.trace, timeRange(columns.start_time, columns.end_time))
    const spans = encodeFieldValues(columns.count, skeletonFieldValues(traceId, columns, resolution))
    // The route then writes the JSON (~0.1 s at 100k spans) in a turn of its own.
    await breathe(columns.count)
    return { trace, spans }
  }

  /**
   * The skeleton in two parts (`GET …/skeleton?head=N`): `whole` is `skeletonColumns`; `head` is what a
   * page can draw while the whole is read and resolved (seconds at 100k spans): the first `limit` spans
   * by start time, resolved among themselves, under the trace's stored summary (the list's row, so the
   * header's totals are the final ones from the start). The head is undefined when it would come no
   * sooner than the whole: the trace's resolution is kept from an earlier request, the resolver has not
   * stored a summary yet, or the trace has no more than `limit` spans.
   *
   * The head's read is asked before the whole's: the embedded store runs bound queries one at a time
   * in the order they are asked (chdb serialises them process-wide), so with both asked at once the
   * whole's read could be queued ahead and the head would never come first.
   */
  skeletonParts(projectId: string, traceId: string, limit: number): { head: Promise<Part>; whole: Promise<Part> } {
    const started = (async () => {
      const bounds = await this.traces.bounds(projectId, traceId)
      if (!bounds) return undefined
      const state = await this.state(projectId, bounds)
      if (this.kept(projectId, traceId, state)) return { bounds }
      const summary = await this.summaries.summary(projectId, traceId, bounds)
      if (!summary || summary.spanCount <= limit) return { bounds }
      return { bounds, head: { summary, state, read: this.traces.skeleton(projectId, traceId, bounds, limit) } }
    })()
    const head = started.then(async (s) => {
      if (!s?.head) return undefined
      const columns = await s.head.read
      if (columns.count === 0) return undefined
      const resolution = resolveFacts(factsFromColumns(columns), s.head.state)
      const spans = encodeFieldValues(columns.count, skeletonFieldValues(traceId, columns, resolution))
      return { trace: s.head.summary, spans }
    })
    const whole = started.then((s) => s && this.skeletonColumnsWithin(projectId, traceId, s.bounds))
    return { head, whole }
  }

  /** One span in full, with what the resolution of its whole trace says about it. */
  async getSpan(projectId: string, traceId: string, spanId: string): Promise<Span | undefined> {
    const bounds = await this.traces.bounds(projectId, traceId)
    if (!bounds) return undefined
    const [{ resolution }, full] = await Promise.all([
      this.skeleton(projectId, traceId, bounds),
      this.traces.span(projectId, traceId, spanId, bounds),
    ])
    if (!full) return undefined
    if (resolution.roles.get(spanId)?.tool !== 'call' || isWholeArguments(full.tool_arguments))
      return toSpan(full, resolution)
    // Only a tool call without its arguments needs the model calls' outputs: read them then.
    const payloads = await this.traces.rows(projectId, traceId, 'full', bounds)
    return toSpan(full, resolution, completedArguments(payloads, resolution).get(spanId))
  }

  /** The trace's skeleton rows and their resolution: kept from the last request when still valid. */
  private async skeleton(projectId: string, traceId: string, bounds: Bounds): Promise<Recent> {
    const state = await this.state(projectId, bounds)
    const kept = this.kept(projectId, traceId, state)
    if (kept) return kept
    const columns = await this.traces.skeleton(projectId, traceId, bounds)
    await breathe(columns.count)
    const facts = factsFromColumns(columns)
    await breathe(columns.count)
    const fresh: Recent = { ...state, columns, resolution: resolveFacts(facts, state) }
    this.remember(`${projectId}\u0000${traceId}`, fresh)
    await breathe(columns.count)
    return fresh
  }

  /** What a resolution of the trace depends on besides its rows. */
  private async state(projectId: string, bounds: Bounds): Promise<ResolutionState> {
    return {
      lastIngestedMs: bounds.lastIngestedMs,
      indexRows: bounds.indexRows,
      settled: this.now() - bounds.lastIngestedMs >= this.settleMs,
      pricer: await this.prices.pricerFor(projectId),
    }
  }

  /** The kept entry of the trace if it was resolved in this same state (made most recently used). */
  private kept(projectId: string, traceId: string, state: ResolutionState): Recent | undefined {
    const key = `${projectId}\u0000${traceId}`
    const kept = this.recent.get(key)
    if (!kept) return undefined
    this.forget(key, kept)
    const same =
      kept.lastIngestedMs === state.lastIngestedMs &&
      kept.indexRows === state.indexRows &&
      kept.settled === state.settled &&
      kept.pricer === state.pricer
    if (!same) return undefined
    this.remember(key, kept)
    return kept
  }

  private remember(key: string, entry: Recent): void {
    if (entry.columns.count > RECENT_SPANS_MAX) return
    this.recent.set(key, entry)
    this.recentSpans += entry.columns.count
    for (const [oldKey, old] of this.recent) {
      if (this.recentSpans <= RECENT_SPANS_MAX) break
      this.forget(oldKey, old)
    }
  }

  private forget(key: string, entry: Recent): void {
    if (this.recent.get(key) !== entry) return
    this.recent.delete(key)
    this.recentSpans -= entry.columns.count
  }
}

type ReadResolution = Resolution & { priced: Map<string, PricedCost>; facts: SpanFacts[] }

/**
 * Spans from which a trace's read yields to the event loop between its steps (parse, facts,
 * resolution, encoding, JSON). A 100k-span trace's first read held the process for 2–3 s in one
 * block, OTLP acknowledgements and health checks included (BENCHMARKS.md, Console); between steps,
 * the longest block is the resolution (~0.8 s).
 */
const BREATHE_SPANS = 5_000
const breathe = (spans: number): Promise<void> | undefined => (spans >= BREATHE_SPANS ? nextTurn() : undefined)

/** Arguments that are a JSON object or array: nothing a model's request could complete. */
function isWholeArguments(text: string): boolean {
  if (text === '') return false
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null
  } catch {
    return false
  }
}

/** The arguments tool calls were given where their spans do not carry them (core/trace/tool-arguments). */
function completedArguments(rows: readonly SpanRowRead[], resolution: ReadResolution): Map<string, string> {
  const requested = new Map(
    rows
      .filter((r) => resolution.roles.get(r.span_id)?.llm === 'call')
      .map((r) => [r.span_id, requestedToolCalls(r.output)]),
  )
  const ownArguments = new Map(rows.filter((r) => r.kind === 'tool').map((r) => [r.span_id, r.tool_arguments]))
  return completeToolArguments({ facts: resolution.facts, roles: resolution.roles, requested, ownArguments })
}

interface PricedCost {
  costUsd: number | null
  costSource: string
  isUnpriced: boolean
}

/**
 * What the trace's resolution says about one span (`ownAgent`: the agent the span names itself): the one
 * place both the span objects and the skeleton's columns take these fields from.
 */
function resolvedFields(resolution: ReadResolution, spanId: string, ownAgent: string): SpanResolutionFields {
  const role = resolution.roles.get(spanId)
  const failure = resolution.failures.failed.get(spanId)
  return {
    agentName: role?.agent ?? ownAgent,
    sessionId: resolution.trace.sessionId,
    userId: resolution.trace.userId,
    isLlmCall: role?.llm === 'call',
    llmRole: role?.llm ?? 'none',
    toolRole: role?.tool ?? 'none',
    isDelegation: role?.isDelegation ?? false,
    delegateTo: role?.delegateTo ?? '',
    failed: failure !== undefined,
    failureInferred: failure?.inferred ?? false,
  }
}

function toSpan(row: SpanRowRead, resolution: ReadResolution, completedArguments?: string): Span {
  const span = spanRowToSpan(row, resolvedFields(resolution, row.span_id, row.agent_name))
  // The cost a project price override gives the call, as the resolver stores it (cost_source `override`).
  const priced = resolution.priced.get(row.span_id)
  const withArguments = completedArguments === undefined ? span : { ...span, toolArguments: completedArguments }
  return priced ? { ...withArguments, ...priced } : withArguments
}

/** Earliest start and latest end of a trace's spans, ISO (the store's text sorts as its time). */
function timeRange(starts: readonly string[], ends: readonly string[]): { startTime: string; endTime: string } {
  let start = starts[0]!
  let end = ends[0]!
  for (const s of starts) if (s < start) start = s
  for (const e of ends) if (e > end) end = e
  return { startTime: chTimeToIso(start), endTime: chTimeToIso(end) }
}

/** Each field of the skeleton's spans, as `toSpan` would give them, computed when the encoder asks for it. */
function skeletonFieldValues(traceId: string, c: SkeletonColumns, r: ReadResolution) {
  const n = c.count
  const each = <T>(value: (i: number) => T): T[] => {
    const out = new Array<T>(n)
    for (let i = 0; i < n; i++) out[i] = value(i)
    return out
  }
  const resolved = each((i) => resolvedFields(r, c.span_id[i]!, c.agent_name[i]!))
  const priced = each((i) => r.priced.get(c.span_id[i]!))
  const fromResolution = <K extends keyof SpanResolutionFields>(k: K) => each((i) => resolved[i]![k])
  const fields: { [K in SpanColumnField]: () => ReadonlyArray<Span[K]> } = {
    traceId: () => each(() => traceId),
    spanId: () => c.span_id,
    parentSpanId: () => c.parent_span_id,
    name: () => c.name,
    kind: () => c.kind,
    startTime: () => each((i) => chTimeToIso(c.start_time[i]!)),
    endTime: () => each((i) => chTimeToIso(c.end_time[i]!)),
    durationMs: () => c.duration_ms,
    status: () => c.status,
    statusMessage: () => c.status_message,
    errorType: () => c.error_type,
    serviceName: () => c.service_name,
    serviceVersion: () => c.service_version,
    environment: () => c.environment,
    agentName: () => fromResolution('agentName'),
    operation: () => c.operation,
    model: () => c.model,
    provider: () => c.provider,
    isLlmCall: () => fromResolution('isLlmCall'),
    llmRole: () => fromResolution('llmRole'),
    toolRole: () => fromResolution('toolRole'),
    isDelegation: () => fromResolution('isDelegation'),
    delegateTo: () => fromResolution('delegateTo'),
    failed: () => fromResolution('failed'),
    failureInferred: () => fromResolution('failureInferred'),
    inputTokens: () => each((i) => Number(c.input_tokens[i])),
    outputTokens: () => each((i) => Number(c.output_tokens[i])),
    cachedInputTokens: () => each((i) => Number(c.cached_input_tokens[i])),
    cacheWriteTokens: () => each((i) => Number(c.cache_write_tokens[i])),
    reasoningTokens: () => each((i) => Number(c.reasoning_tokens[i])),
    // As priced for this read (a project's override included), as toSpan gives them.
    costUsd: () => each((i) => priced[i]?.costUsd ?? (c.cost_usd[i] === null ? null : Number(c.cost_usd[i]))),
    costSource: () => each((i) => priced[i]?.costSource ?? c.cost_source[i]!),
    isUnpriced: () => each((i) => priced[i]?.isUnpriced ?? c.is_unpriced[i]!),
    toolName: () => c.tool_name,
    toolCallId: () => c.tool_call_id,
    sessionId: () => fromResolution('sessionId'),
    userId: () => fromResolution('userId'),
    flags: () => c.flags,
  }
  return <K extends SpanColumnField>(field: K): ReadonlyArray<Span[K]> => fields[field]()
}

/** The API's trace summary from a resolution; the list's rows are the same fields as stored. */
function summaryOf(
  traceId: string,
  t: ResolvedTrace,
  { startTime, endTime }: { startTime: string; endTime: string },
): TraceSummary {
  return {
    traceId,
    rootSpanId: t.rootSpanId,
    name: t.name,
    startTime,
    endTime,
    durationMs: t.durationMs,
    outcome: t.outcome,
    failureReason: t.failureReason,
    failureSpanId: t.failureSpanId,
    firstError: t.firstError,
    tags: t.tags,
    inputPreview: t.inputPreview,
    outputPreview: t.outputPreview,
    rootAgent: t.rootAgent,
    serviceNames: t.services,
    releases: t.releases,
    environments: t.environments,
    agents: t.agents,
    models: t.models,
    tools: t.tools,
    sessionId: t.sessionId,
    userId: t.userId,
    spanCount: t.spanCount,
    llmCallCount: t.llmCalls,
    toolCallCount: t.toolCalls,
    errorCount: t.errorSpans,
    toolErrorCount: t.toolErrors,
    delegationCount: t.delegations,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cachedInputTokens: t.cachedInputTokens,
    cacheWriteTokens: t.cacheWriteTokens,
    reasoningTokens: t.reasoningTokens,
    costUsd: t.costUsd,
    unpricedLlmCalls: t.unpricedCalls,
    isRegressionRun: t.isRegressionRun,
  }
}
