/**
 * @module regression/observe
 * One trace's spans → what the run did: its steps per agent, outcome, output, usage and the world it
 * met (tool results, sub-agent answers, model outputs). The proposal reads the incident's trace with
 * it, and the runner reads each replay's trace with it, so both sides are judged the same way.
 */
import type { AgentRecording, CaseStep, CompactSpan, RunUsage, ToolRecording } from '@sightline/schema'
import { canonicalJson, toTrajectory } from '../trajectory/trajectory.js'
import { isoToEpochMs } from '../trace/span-tree.js'
import { contentText } from '../content/content-text.js'

/** The span fields this module reads: the query API's `Span` fits. */
export interface ObservableSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  kind: string
  startTime: string
  endTime: string
  durationMs: number
  status: string
  statusMessage: string
  errorType: string
  serviceName: string
  serviceVersion: string
  environment: string
  agentName: string
  model: string
  isLlmCall: boolean
  inputTokens: number
  outputTokens: number
  costUsd: number | null
  toolName: string
  toolArguments: string
  toolResult: string
  input: string
  output: string
  attributes: Record<string, string>
  flags: string[]
}

export interface SpanError {
  spanId: string
  kind: string
  name: string
  errorType: string
  message: string
  isTool: boolean
}

export interface ObservedRun {
  traceId: string
  rootSpanId: string
  startTime: string
  environment: string
  /** The root agent (the one the request reached). */
  agent: string
  service: string
  /** `service.version` values of the root service. */
  releases: string[]
  input: string
  output: string
  outcome: { status: 'ok' | 'error'; errorType: string; message: string }
  steps: CaseStep[]
  usage: RunUsage
  errors: SpanError[]
  tools: ToolRecording[]
  agents: AgentRecording[]
  llm: { model: string; agent: string; output: string; spanId: string }[]
  spans: CompactSpan[]
}

function parseArgs(text: string): Record<string, unknown> {
  if (!text) return {}
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value }
  } catch {
    return { value: text }
  }
}

function toolResultOf(span: ObservableSpan, server: ObservableSpan | undefined): ToolRecording['result'] {
  const raw = span.toolResult || server?.toolResult || ''
  const failed = span.status === 'error' || server?.status === 'error'
  if (raw) {
    try {
      const value: unknown = JSON.parse(raw)
      if (value && typeof value === 'object' && Array.isArray((value as { content?: unknown }).content)) {
        const v = value as { content: { type: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> }
        return { content: v.content, isError: v.isError === true || failed, ...(v.structuredContent ? { structuredContent: v.structuredContent } : {}) }
      }
      return { content: [{ type: 'text', text: typeof value === 'string' ? value : raw }], isError: failed }
    } catch {
      return { content: [{ type: 'text', text: raw }], isError: failed }
    }
  }
  const message = span.statusMessage || span.errorType || (failed ? 'tool failed' : '')
  return { content: message ? [{ type: 'text', text: message }] : [], isError: failed }
}

const STEP_KIND = { llm: 'llm_call', tool: 'tool_call', delegation: 'agent_delegation' } as const

/**
 * Observes a trace. The server end of a traced MCP call (flag `mcp_server` under its client span)
 * is the same call as its client end and is not a step of its own.
 * @example observeRun(detail.spans).steps.filter((s) => s.kind === 'tool_call')
 */
export function observeRun(spans: readonly ObservableSpan[]): ObservedRun {
  const byId = new Map(spans.map((s) => [s.spanId, s]))
  const isMcpServerEcho = (s: ObservableSpan) => s.flags.includes('mcp_server') && byId.has(s.parentSpanId)
  const serverOf = new Map<string, ObservableSpan>()
  for (const s of spans) if (isMcpServerEcho(s)) serverOf.set(s.parentSpanId, s)
  const counted = spans.filter((s) => !isMcpServerEcho(s))
  const roots = spans.filter((s) => !s.parentSpanId || !byId.has(s.parentSpanId)).sort((a, b) => isoToEpochMs(a.startTime) - isoToEpochMs(b.startTime))
  const root = roots[0]

  const callerOf = (span: ObservableSpan): string => {
    let cur = span.parentSpanId ? byId.get(span.parentSpanId) : undefined
    for (let guard = 0; cur && guard < spans.length; guard++) {
      if (cur.agentName && cur.kind !== 'handoff') return cur.agentName
      cur = cur.parentSpanId ? byId.get(cur.parentSpanId) : undefined
    }
    return ''
  }

  const steps: CaseStep[] = []
  const tools: ToolRecording[] = []
  const agents: AgentRecording[] = []
  const llm: ObservedRun['llm'] = []
  const seenTool = new Set<string>()
  for (const t of toTrajectory(counted)) {
    const span = byId.get(t.spanId)!
    const kind = STEP_KIND[t.kind]
    // An agent span under a span of its own service (no hand-off in between) is an in-process
    // sub-agent, e.g. the demo planner's `invoke_agent planner` inside `planner-agent`: nothing
    // crossed a protocol boundary, so it is neither a delegation step nor a sub-agent to stub.
    if (kind === 'agent_delegation' && span.kind === 'agent' && byId.get(span.parentSpanId)?.serviceName === span.serviceName) continue
    const agent = kind === 'agent_delegation' ? callerOf(span) : t.agent
    const step: CaseStep = { kind, name: t.name, agent, argsMatch: 'subset', ignorePaths: [], optional: false, isError: t.isError, spanId: t.spanId }
    if (kind === 'tool_call') {
      step.protocol = span.attributes['mcp.method.name'] !== undefined || span.name.startsWith('tools/call') ? 'mcp' : 'function'
      step.args = parseArgs(span.toolArguments)
      const result = toolResultOf(span, serverOf.get(span.spanId))
      const key = `${t.name}\u0000${canonicalJson(JSON.stringify(step.args))}\u0000${JSON.stringify(result)}`
      if (!seenTool.has(key)) {
        seenTool.add(key)
        tools.push({ tool: t.name, agent, args: step.args, result, spanId: span.spanId, redacted: [] })
      }
    } else if (kind === 'agent_delegation') {
      step.protocol = 'a2a'
      const child = spans.find((s) => s.parentSpanId === span.spanId && s.kind === 'agent')
      agents.push({
        agent: t.name,
        caller: agent,
        request: contentText(span.input, 'user'),
        answer: contentText(span.output, 'assistant') || contentText(child?.output ?? '', 'assistant'),
        state: span.status === 'error' ? 'failed' : 'completed',
        spanId: span.spanId,
      })
    } else {
      step.protocol = 'llm'
      const output = contentText(span.output, 'assistant')
      if (output) llm.push({ model: t.name, agent, output, spanId: span.spanId })
    }
    steps.push(step)
  }

  const llmSpans = counted.filter((s) => s.isLlmCall)
  const costs = llmSpans.map((s) => s.costUsd).filter((c): c is number => c !== null)
  const start = Math.min(...spans.map((s) => isoToEpochMs(s.startTime)))
  const end = Math.max(...spans.map((s) => isoToEpochMs(s.endTime)))
  const usage: RunUsage = {
    inputTokens: llmSpans.reduce((n, s) => n + s.inputTokens, 0),
    outputTokens: llmSpans.reduce((n, s) => n + s.outputTokens, 0),
    costUsd: costs.length ? costs.reduce((a, b) => a + b, 0) : null,
    steps: steps.length,
    llmCalls: steps.filter((s) => s.kind === 'llm_call').length,
    toolCalls: steps.filter((s) => s.kind === 'tool_call').length,
    latencyMs: spans.length ? Math.round((end - start) * 1000) / 1000 : 0,
  }
  const errors: SpanError[] = counted
    .filter((s) => s.status === 'error')
    .map((s) => ({ spanId: s.spanId, kind: s.kind, name: s.name, errorType: s.errorType, message: s.statusMessage, isTool: s.kind === 'tool' }))
  const firstLlm = llmSpans[0]
  const lastLlm = llmSpans[llmSpans.length - 1]
  const rootService = root?.serviceName ?? ''
  return {
    traceId: root?.traceId ?? spans[0]?.traceId ?? '',
    rootSpanId: root?.spanId ?? '',
    startTime: root?.startTime ?? '',
    environment: root?.environment ?? '',
    agent: root?.agentName || steps[0]?.agent || rootService,
    service: rootService,
    releases: [...new Set(spans.filter((s) => s.serviceName === rootService && s.serviceVersion).map((s) => s.serviceVersion))].sort(),
    input: contentText(root?.input ?? '', 'user') || contentText(firstLlm?.input ?? '', 'user'),
    output: contentText(root?.output ?? '', 'assistant') || contentText(lastLlm?.output ?? '', 'assistant'),
    outcome: {
      status: root?.status === 'error' ? 'error' : 'ok',
      errorType: root?.status === 'error' ? root.errorType : '',
      message: root?.status === 'error' ? root.statusMessage : '',
    },
    steps,
    usage,
    errors,
    tools,
    agents,
    llm,
    spans: spans.map(compactSpan),
  }
}

export function compactSpan(s: ObservableSpan): CompactSpan {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    agent: s.agentName,
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
