/**
 * @module regression/observe
 * One trace's spans → what the run did: its steps per agent, outcome, output, usage and the world it
 * met (tool results, sub-agent answers, model outputs). The proposal reads the incident's trace with
 * it, and the runner reads each replay's trace with it, so both sides are judged the same way.
 *
 * Nothing is decided here: the steps are the trace resolver's counted calls and delegations
 * (`toTrajectory`), the outcome is the resolver's (or the server's, when the caller has the trace
 * summary), and loops are the resolver's `loop` findings.
 */
import type {
  AgentRecording,
  CaseStep,
  CompactSpan,
  RunUsage,
  ToolRecording,
  TraceOutcome,
  TraceSummary,
  TraceTag,
} from '@sightline/schema'
import { ATTR_MCP_METHOD_NAME } from '@sightline/schema/semconv'
import { contentText } from '../content/content-text.js'
import { SpanFlag } from '../trace/span-facts.js'
import type { LoopFinding } from '../trace/tags.js'
import { resolveSpans, type FactSpan } from '../trace/span-to-facts.js'
import { toolArgumentsOf, toolCallParts, toTrajectory } from '../trajectory/trajectory.js'
import { parseArgs, runOutcomeOf, toolResultOf, type RunOutcome } from './observe-parts.js'

export { runOutcomeOf, type RunOutcome }

/** The span fields this module reads: the query API's `Span` fits, and so does a test's hand-built span. */
export type ObservableSpan = FactSpan & {
  traceId: string
  statusMessage: string
  errorType: string
  serviceVersion: string
  environment: string
  inputTokens: number
  outputTokens: number
  costUsd: number | null
  toolResult: string
  input: string
  output: string
  attributes: Record<string, string>
}

export interface SpanError {
  spanId: string
  kind: string
  name: string
  errorType: string
  message: string
  /** A counted tool call (its chain's other spans are not listed apart). */
  isTool: boolean
  /** A later identical attempt succeeded. */
  recovered: boolean
}

export interface ObservedRun {
  traceId: string
  rootSpanId: string
  /**
   * The agent invocation the request reached: the root, unless the caller traced its request too
   * (the `sightline regress` runner does; so may a gateway). Service, releases and protocol are its.
   */
  entrySpanId: string
  startTime: string
  environment: string
  /** The root agent (the one the request reached). */
  agent: string
  service: string
  /** `service.version` values of the root service. */
  releases: string[]
  input: string
  output: string
  /** The case format's two-state outcome (see `runOutcomeOf`). */
  outcome: RunOutcome
  /** What the trace came to, as the resolver judged it (or the server, when its summary was given). */
  trace: { outcome: TraceOutcome; failureReason: string; failureSpanId: string; tags: TraceTag[]; loops: LoopFinding[] }
  steps: CaseStep[]
  usage: RunUsage
  errors: SpanError[]
  tools: ToolRecording[]
  agents: AgentRecording[]
  llm: { model: string; agent: string; output: string; spanId: string }[]
  spans: CompactSpan[]
}

export interface ObserveOptions {
  /** The server's summary of the trace: its outcome and failure reason are the ones to judge by. */
  summary?: Pick<TraceSummary, 'outcome' | 'failureReason' | 'failureSpanId'>
}

const STEP_KIND = { llm: 'llm_call', tool: 'tool_call', delegation: 'agent_delegation' } as const
const MCP_FLAGS: readonly string[] = [SpanFlag.mcpClient, SpanFlag.mcpServer]

/** How the call travelled (informational in a step): an end of an MCP call, or a span naming an MCP method. */
const isMcp = (s: ObservableSpan) =>
  s.flags.some((f) => MCP_FLAGS.includes(f)) || s.attributes[ATTR_MCP_METHOD_NAME] !== undefined

/**
 * Observes a trace.
 * @example observeRun(detail.spans, { summary: detail.trace }).steps.filter((s) => s.kind === 'tool_call')
 */
export function observeRun(spans: readonly ObservableSpan[], options: ObserveOptions = {}): ObservedRun {
  const resolution = resolveSpans(spans)
  const { roles, failures, trace } = resolution
  const byId = new Map<string, ObservableSpan>()
  for (const s of spans) if (!byId.has(s.spanId)) byId.set(s.spanId, s)
  const parts = toolCallParts([...byId.values()], roles)
  const root = byId.get(trace.rootSpanId)
  const entry = root?.kind === 'agent' ? root : (firstAgentInvocation(roles.keys(), byId) ?? root)
  const verdict = options.summary ?? trace

  const steps: CaseStep[] = []
  const tools: ToolRecording[] = []
  const agents: AgentRecording[] = []
  const llm: ObservedRun['llm'] = []
  const seenTool = new Set<string>()
  for (const t of toTrajectory(spans, resolution)) {
    const span = byId.get(t.spanId)!
    const kind = STEP_KIND[t.kind]
    const step: CaseStep = {
      kind,
      name: t.name,
      agent: t.agent,
      argsMatch: 'subset',
      ignorePaths: [],
      optional: false,
      isError: t.isError,
      spanId: t.spanId,
    }
    if (kind === 'tool_call') {
      const chain = parts.get(span.spanId) ?? []
      step.protocol = isMcp(span) || chain.some(isMcp) ? 'mcp' : 'function'
      step.args = parseArgs(toolArgumentsOf(span, chain))
      const result = toolResultOf(span, chain, t.isError)
      const key = `${t.name}\u0000${t.args}\u0000${JSON.stringify(result)}`
      if (!seenTool.has(key)) {
        seenTool.add(key)
        tools.push({ tool: t.name, agent: t.agent, args: step.args, result, spanId: span.spanId, redacted: [] })
      }
    } else if (kind === 'agent_delegation') {
      step.protocol = 'a2a'
      // The remote agent's server span under a hand-off holds the answer when the hand-off did not record it.
      const remote = spans.find((s) => s.parentSpanId === span.spanId && s.kind === 'agent')
      agents.push({
        agent: t.name,
        caller: t.agent,
        request: contentText(span.input, 'user'),
        answer: contentText(span.output, 'assistant') || contentText(remote?.output ?? '', 'assistant'),
        state: t.isError ? 'failed' : 'completed',
        spanId: span.spanId,
      })
    } else {
      step.protocol = 'llm'
      const output = contentText(span.output, 'assistant')
      if (output) llm.push({ model: t.name, agent: t.agent, output, spanId: span.spanId })
    }
    steps.push(step)
  }

  const usage: RunUsage = {
    inputTokens: trace.inputTokens,
    outputTokens: trace.outputTokens,
    costUsd: trace.costUsd,
    steps: steps.length,
    llmCalls: trace.llmCalls,
    toolCalls: trace.toolCalls,
    latencyMs: Math.round(trace.durationMs * 1000) / 1000,
  }
  const errors: SpanError[] = []
  for (const [spanId, role] of roles) {
    const s = byId.get(spanId)
    if (!s || role.tool === 'part' || !failures.failed.has(spanId)) continue
    // A tool call that failed at its other end (the MCP server) says why there.
    const why = [s, ...(parts.get(spanId) ?? [])].find((x) => x.statusMessage || x.errorType)
    const inferred = failures.failed.get(spanId)?.inferred === true
    errors.push({
      spanId,
      kind: s.kind,
      name: s.name,
      errorType: why?.errorType ?? '',
      message: why?.statusMessage || why?.errorType || (inferred ? 'failure reported by a later model request' : ''),
      isTool: role.tool === 'call',
      recovered: failures.recovered.has(spanId),
    })
  }
  const firstLlm = steps.find((s) => s.kind === 'llm_call')
  const lastLlm = steps.findLast((s) => s.kind === 'llm_call')
  const service = entry?.serviceName ?? ''
  const failureSpan = verdict.failureSpanId ? byId.get(verdict.failureSpanId) : undefined
  const text = (role: 'user' | 'assistant', ...from: (ObservableSpan | undefined)[]) =>
    from.map((s) => contentText((role === 'user' ? s?.input : s?.output) ?? '', role)).find(Boolean) ?? ''
  return {
    traceId: root?.traceId ?? spans[0]?.traceId ?? '',
    rootSpanId: root?.spanId ?? '',
    entrySpanId: entry?.spanId ?? '',
    startTime: root?.startTime ?? '',
    environment: entry?.environment ?? '',
    agent: trace.rootAgent || steps[0]?.agent || service,
    service,
    releases: [
      ...new Set(spans.filter((s) => s.serviceName === service && s.serviceVersion).map((s) => s.serviceVersion)),
    ].sort(),
    input: text('user', root, entry, byId.get(firstLlm?.spanId ?? '')),
    output: text('assistant', root, entry, byId.get(lastLlm?.spanId ?? '')),
    outcome: runOutcomeOf(verdict.outcome, verdict.failureReason, failureSpan?.errorType ?? ''),
    trace: {
      outcome: verdict.outcome,
      failureReason: verdict.failureReason,
      failureSpanId: verdict.failureSpanId,
      tags: trace.tags,
      loops: trace.loops,
    },
    steps,
    usage,
    errors,
    tools,
    agents,
    llm,
    spans: [...byId.values()].map((s) => compactSpan(s, roles.get(s.spanId)?.agent ?? s.agentName)),
  }
}

/** The first agent invocation in the resolver's preorder (the roles map's order). */
function firstAgentInvocation(
  order: Iterable<string>,
  byId: ReadonlyMap<string, ObservableSpan>,
): ObservableSpan | undefined {
  for (const spanId of order) {
    const span = byId.get(spanId)
    if (span?.kind === 'agent') return span
  }
  return undefined
}

export function compactSpan(s: ObservableSpan, agent: string = s.agentName): CompactSpan {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    agent,
    service: s.serviceName,
    release: s.serviceVersion,
    status: s.status,
    startTime: s.startTime,
    durationMs: s.durationMs,
    ...(s.toolName ? { tool: s.toolName } : {}),
    ...(s.model ? { model: s.model } : {}),
    ...(s.errorType ? { errorType: s.errorType } : {}),
    ...(s.statusMessage ? { statusMessage: s.statusMessage } : {}),
  }
}
