/**
 * @module trace/tool-arguments
 * The arguments of a tool call whose span does not carry them whole. A tool call is made because a
 * model asked for it, and the model's request carries the arguments; some libraries do not copy
 * them onto the tool span: ADK ends a throwing tool's span with no attributes at all, LangChain
 * records only the value of a single-argument tool (`"A-1001"`, not `{"order_id":"A-1001"}`). The
 * rule is structural, so no library needs its own:
 *
 * - a counted tool call is matched to the request for it: by call id when both have one, else to
 *   the earliest unmatched request of that tool in the latest earlier model call of the same agent;
 * - the request's arguments stand in when the span has none, or has only a bare value that is the
 *   request's single argument. Arguments the span does carry are never replaced.
 *
 * Payload-level and read-time: the stored span keeps what the library sent (its `toolArgsKey`
 * included); what the API shows is completed from the trace it returns.
 */
import type { RequestedToolCall } from '../content/requested-tool-calls.js'
import { canonicalJson } from '../trajectory/trajectory.js'
import { toolName, type SpanRole } from './roles.js'
import type { SpanFacts } from './span-facts.js'

export interface ToolArgumentInput {
  facts: readonly SpanFacts[]
  roles: ReadonlyMap<string, SpanRole>
  /** Tool calls each model-call span requested (its output, read by `requestedToolCalls`). */
  requested: ReadonlyMap<string, readonly RequestedToolCall[]>
  /** Each tool span's own arguments as stored (JSON text, '' when none). */
  ownArguments: ReadonlyMap<string, string>
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether the request's arguments complete what the span carries. */
function completes(own: string, requested: string): boolean {
  if (requested === '') return false
  if (own === '') return true
  const mine = parse(own)
  if (isRecord(mine) || Array.isArray(mine)) return false
  const theirs = parse(requested)
  if (!isRecord(theirs)) return false
  const values = Object.values(theirs)
  return values.length === 1 && JSON.stringify(values[0]) === JSON.stringify(mine)
}

/** Tool-call span id → the arguments to show, for the calls whose span does not carry them whole. */
export function completeToolArguments(input: ToolArgumentInput): Map<string, string> {
  const { facts, roles, requested, ownArguments } = input
  const byStart = (a: SpanFacts, b: SpanFacts) => a.startMs - b.startMs
  const models = facts
    .filter((s) => roles.get(s.spanId)?.llm === 'call' && (requested.get(s.spanId)?.length ?? 0) > 0)
    .sort(byStart)
  if (models.length === 0) return new Map()
  const used = new Set<RequestedToolCall>()
  const byId = new Map<string, RequestedToolCall>()
  for (const model of models) for (const call of requested.get(model.spanId) ?? []) if (call.id) byId.set(call.id, call)

  /** The request of the latest earlier model call of the same agent that `accepts`, not yet matched. */
  const requestFor = (
    tool: SpanFacts,
    accepts: (call: RequestedToolCall) => boolean,
  ): RequestedToolCall | undefined => {
    const exact = tool.toolCallId ? byId.get(tool.toolCallId) : undefined
    if (exact) return !used.has(exact) && accepts(exact) ? exact : undefined
    const agent = roles.get(tool.spanId)?.agent ?? ''
    const name = toolName(tool).toLowerCase()
    for (let i = models.length - 1; i >= 0; i--) {
      const model = models[i]!
      if (model.startMs > tool.startMs || (roles.get(model.spanId)?.agent ?? '') !== agent) continue
      const found = (requested.get(model.spanId) ?? []).find(
        (c) => !used.has(c) && c.name.toLowerCase() === name && accepts(c),
      )
      if (found) return found
    }
    return undefined
  }

  const tools = facts.filter((s) => roles.get(s.spanId)?.tool === 'call').sort(byStart)
  const own = (tool: SpanFacts) => ownArguments.get(tool.spanId) ?? ''
  const needsArguments = (tool: SpanFacts) => {
    const value = parse(own(tool))
    return own(tool) === '' || !(isRecord(value) || Array.isArray(value))
  }
  // Calls that carry their arguments claim their own requests first, so that a call without them
  // cannot take a request another call answered.
  for (const tool of tools.filter((t) => !needsArguments(t))) {
    const request = requestFor(tool, (c) => canonicalJson(c.arguments) === canonicalJson(own(tool)))
    if (request) used.add(request)
  }
  const completed = new Map<string, string>()
  for (const tool of tools.filter(needsArguments)) {
    const request = requestFor(tool, (c) => completes(own(tool), c.arguments))
    if (!request) continue
    used.add(request)
    completed.set(tool.spanId, request.arguments)
  }
  return completed
}
