/**
 * One trace as the query API returns it: its stored spans, resolved on read with the same
 * `resolveTrace` the resolver stage stores (same facts, same price overrides), so a trace's header,
 * its spans' counted roles and the list row it came from agree. Resolving on read also keeps a trace
 * that is still arriving up to date between two resolutions.
 */
import {
  completeToolArguments,
  requestedToolCalls,
  resolveTrace,
  type Resolution,
  type ResolvedTrace,
  type SpanFacts,
} from '@sightline/core'
import { chTimeToIso, spanRowToSpan, type Span, type SpanRowRead, type TraceSummary } from '@sightline/schema'
import type { TraceRepository } from '../db/repositories/traces.js'
import type { PriceOverrideLookup } from './overrides.js'
import { factsFromRow } from './span-facts.js'

export interface TraceView {
  trace: TraceSummary
  spans: Span[]
}

export class TraceReader {
  constructor(
    private readonly traces: TraceRepository,
    private readonly prices: PriceOverrideLookup,
    private readonly settleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(projectId: string, traceId: string, view: 'full' | 'skeleton' = 'full'): Promise<TraceView | undefined> {
    const found = await this.traces.get(projectId, traceId, view)
    if (!found || found.rows.length === 0) return undefined
    const resolution = await this.resolve(projectId, found.rows, found.lastIngestedMs)
    const start = found.rows.reduce((min, r) => (r.start_time < min ? r.start_time : min), found.rows[0]!.start_time)
    const end = found.rows.reduce((max, r) => (r.end_time > max ? r.end_time : max), found.rows[0]!.end_time)
    const trace = summaryOf(traceId, resolution.trace, chTimeToIso(start), chTimeToIso(end))
    // A skeleton has no payloads to complete arguments from (nor arguments to show).
    const completed = view === 'full' ? completedArguments(found.rows, resolution) : new Map<string, string>()
    return { trace, spans: found.rows.map((row) => toSpan(row, resolution, completed.get(row.span_id))) }
  }

  /** One span in full, with what the resolution of its whole trace says about it. */
  async getSpan(projectId: string, traceId: string, spanId: string): Promise<Span | undefined> {
    const found = await this.traces.get(projectId, traceId, 'skeleton')
    const full = found ? await this.traces.getSpan(projectId, traceId, spanId) : undefined
    if (!found || !full) return undefined
    const resolution = await this.resolve(projectId, found.rows, found.lastIngestedMs)
    if (resolution.roles.get(spanId)?.tool !== 'call' || isWholeArguments(full.tool_arguments))
      return toSpan(full, resolution)
    // Only a tool call without its arguments needs the model calls' outputs: read them then.
    const payloads = await this.traces.get(projectId, traceId, 'full')
    const completed = payloads ? completedArguments(payloads.rows, resolution) : new Map<string, string>()
    return toSpan(full, resolution, completed.get(spanId))
  }

  private async resolve(projectId: string, rows: SpanRowRead[], lastIngestedMs: number): Promise<ReadResolution> {
    const facts = rows.map(factsFromRow)
    ;(await this.prices.pricerFor(projectId))(facts)
    const resolution = resolveTrace(facts, { settled: this.now() - lastIngestedMs >= this.settleMs })
    const priced = new Map(
      facts.map((f) => [f.spanId, { costUsd: f.costUsd, costSource: f.costSource, isUnpriced: f.isUnpriced }]),
    )
    return { ...resolution, priced, facts }
  }
}

type ReadResolution = Resolution & { priced: Map<string, PricedCost>; facts: SpanFacts[] }

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

function toSpan(row: SpanRowRead, resolution: ReadResolution, completedArguments?: string): Span {
  const role = resolution.roles.get(row.span_id)
  const failure = resolution.failures.failed.get(row.span_id)
  const span = spanRowToSpan(row, {
    agentName: role?.agent ?? row.agent_name,
    sessionId: resolution.trace.sessionId,
    userId: resolution.trace.userId,
    isLlmCall: role?.llm === 'call',
    llmRole: role?.llm ?? 'none',
    toolRole: role?.tool ?? 'none',
    isDelegation: role?.isDelegation ?? false,
    delegateTo: role?.delegateTo ?? '',
    failed: failure !== undefined,
    failureInferred: failure?.inferred ?? false,
  })
  // The cost a project price override gives the call, as the resolver stores it (cost_source `override`).
  const priced = resolution.priced.get(row.span_id)
  const withArguments = completedArguments === undefined ? span : { ...span, toolArguments: completedArguments }
  return priced ? { ...withArguments, ...priced } : withArguments
}

/** The API's trace summary from a resolution; the list's rows are the same fields as stored. */
function summaryOf(traceId: string, t: ResolvedTrace, startTime: string, endTime: string): TraceSummary {
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
