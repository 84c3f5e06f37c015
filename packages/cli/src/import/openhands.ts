/**
 * OpenHands event streams: an evaluation or resolver output (`output.jsonl`, one run per line:
 * `{instance_id | issue, metadata, history, metrics}`) or a bare recorded event array
 * (`tests/runtime/trajs/*.json`, one run per file). Older history shapes are read into current
 * events first (openhands-runs.ts).
 *
 * One trace per run, session id = `instance_id`, else the resolver's `owner/repo#number`, else the
 * file name (and line). Model turns: agent actions grouped by `tool_call_metadata.model_response.id`
 * (one response can issue several actions) -> one `chat` span each; an agent action with no
 * metadata is a turn of its own. Tool calls (openhands-tools.ts): every action with
 * `tool_call_metadata` (function calling); in a run that has none anywhere (text actions, before
 * function calling), every agent action other than a message or finish that an observation
 * answers, named after the action (`run`, `run_ipython`, …), its args minus the thought and
 * OpenHands' bookkeeping. A tool span's result is the observation whose `cause` is that action.
 * Errors: an `error` observation, a result starting `ERROR:` (file editor) or saying the edit
 * introduced a syntax error (agentskills), or a non-zero `exit_code` (`extras.metadata`, or
 * `extras` in older files). An `error` observation with no `cause` (a rejected tool call the file
 * kept no action for) becomes an `openhands.error` event on the root span.
 *
 * Times are the file's own (synthesised for files without any, see openhands-runs.ts): event
 * timestamps have no zone and are read as UTC, microseconds kept.
 * A chat span ends at its first action's timestamp and lasts the response's latency from
 * `metrics.response_latencies` (never starting before the previous event); a tool span runs from
 * its action to its observation.
 * Tokens: `metrics.token_usages` by response id, else the response's own `usage`; a turn with
 * neither is sent as `sightline.usage.unknown`, so its cost stays unknown rather than $0. Costs are
 * sent (`llm.cost.total`) only where the file priced the call: `metrics.costs` entries by response
 * id; entries without ids, one per turn, in order (older files); else `accumulated_cost` split
 * across calls by tokens. OpenHands records 0 for models it cannot price, so a zero total with no
 * cost entries is left for the server's price table.
 */
import * as K from '@sightline/schema/semconv'
import type { Event, ModelResponse, Run } from './openhands-schema.js'
import { readOpenHandsRuns } from './openhands-runs.js'
import { toolCallsOf, toolError, type ToolCall } from './openhands-tools.js'
import { cap, messagesJson, parseArguments, providerFor, textPart, type GenAiMessage } from './messages.js'
import { SpanKind, TraceBuilder, type ExportTraceServiceRequest } from './otlp.js'
import { splitCost } from './split.js'
import type { ConvertOptions } from './types.js'

export function convertOpenHands(data: unknown, opts: ConvertOptions): ExportTraceServiceRequest {
  const runs = readOpenHandsRuns(data, opts)
  const selected = opts.limit === undefined ? runs : runs.slice(0, opts.limit)
  return { resourceSpans: selected.map((run, index) => convertRun(run, index, opts.fileName)) }
}

/** `2025-04-30T16:32:54.707474` (no zone, read as UTC) -> nanoseconds, microseconds kept. */
export function timestampToNs(text: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim())
  if (!match) throw new Error(`unreadable timestamp ${text}`)
  const seconds = Date.parse(`${match[1]}${match[3] ?? 'Z'}`)
  if (Number.isNaN(seconds)) throw new Error(`unreadable timestamp ${text}`)
  const fraction = (match[2] ?? '').padEnd(9, '0').slice(0, 9)
  return BigInt(seconds) * 1_000_000n + BigInt(fraction)
}

interface Turn {
  key: string
  actions: Event[]
  response?: ModelResponse
}

interface Usage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

function convertRun(run: Run, index: number, fileName: string) {
  const events = [...run.history].sort((a, b) => a.id - b.id)
  const model =
    run.metadata?.llm_config?.model ??
    events.find((e) => e.tool_call_metadata)?.tool_call_metadata?.model_response.model ??
    'unknown'
  const agent = run.metadata?.agent_class ?? 'openhands'
  const version =
    /_v(\d+\.\d+\.\d+)/.exec(run.metadata?.eval_output_dir ?? '')?.[1] ?? run.metadata?.git_commit ?? undefined
  const trace = new TraceBuilder(`openhands:${fileName}:${index}`, {
    [K.ATTR_SERVICE_NAME]: 'openhands',
    [K.ATTR_SERVICE_VERSION]: version,
  })
  const common = { [K.ATTR_SESSION_ID]: sessionOf(run, fileName, index), [K.ATTR_GEN_AI_AGENT_NAME]: agent }

  const turns = groupTurns(events)
  const usages = turns.map((turn) => usageOf(turn, run))
  const costs = costsOf(turns, usages, run)
  const latency = new Map((run.metrics?.response_latencies ?? []).map((l) => [l.response_id, l.latency]))
  const observationFor = new Map(
    events.filter((e) => e.observation !== undefined && e.cause != null).map((e) => [e.cause, e]),
  )
  const toolCalls = toolCallsOf(events, observationFor)
  const times = events.map((e) => timestampToNs(e.timestamp))
  const runStart = times.reduce((a, b) => (b < a ? b : a), times[0] ?? 0n)
  const runEnd = times.reduce((a, b) => (b > a ? b : a), runStart)

  turns.forEach((turn, i) => {
    const first = turn.actions[0]
    if (!first) return
    const end = timestampToNs(first.timestamp)
    const previous = events.filter((e) => e.id < first.id).at(-1)
    const floor = previous ? timestampToNs(previous.timestamp) : runStart
    const seconds = turn.response ? latency.get(turn.response.id) : undefined
    const byLatency = seconds === undefined ? floor : end - BigInt(Math.round(seconds * 1e9))
    const usage = usages[i]
    trace.add({
      key: `chat:${turn.key}`,
      parent: 'root',
      name: `chat ${model}`,
      kind: SpanKind.CLIENT,
      startNs: byLatency < floor ? floor : byLatency,
      endNs: end,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'chat',
        [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
        [K.ATTR_GEN_AI_RESPONSE_MODEL]: turn.response?.model ?? undefined,
        [K.ATTR_GEN_AI_PROVIDER_NAME]: providerFor(model),
        'gen_ai.response.id': turn.response?.id,
        [K.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: usage?.input,
        [K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage?.output,
        [K.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: usage?.cacheRead || undefined,
        [K.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: usage?.cacheWrite || undefined,
        [K.ATTR_SIGHTLINE_USAGE_UNKNOWN]: usage === undefined ? true : undefined,
        [K.ATTR_OI_COST_TOTAL]: costs?.[i],
        [K.ATTR_GEN_AI_INPUT_MESSAGES]: messagesJson(
          inputsBefore(events, first, turns[i - 1]?.actions.at(-1), toolCalls),
        ),
        [K.ATTR_GEN_AI_OUTPUT_MESSAGES]: messagesJson([outputOf(turn, toolCalls)]),
      },
    })
    for (const action of turn.actions) addTool(action)
  })

  trace.add({
    key: 'root',
    name: `invoke_agent ${agent}`,
    kind: SpanKind.INTERNAL,
    startNs: runStart,
    endNs: runEnd,
    attributes: {
      ...common,
      [K.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
      'openhands.instance_id': run.instance_id,
      'openhands.issue': run.issue ? issueRef(run.issue) : undefined,
    },
    ...(run.error ? { error: { type: 'run_error', message: cap(run.error, 500) } } : {}),
    // Error observations with no cause answer a model response the file did not keep as an action
    // (e.g. a tool call with invalid parameters): there is no tool span to mark, so they are root events.
    events: events
      .filter((e) => e.observation === 'error' && e.cause == null)
      .map((e) => ({
        name: 'openhands.error',
        timeNs: timestampToNs(e.timestamp),
        attributes: { 'openhands.error.message': cap(e.content ?? '', 500) },
      })),
  })
  return trace.build()

  function addTool(action: Event): void {
    const call = toolCalls.get(action.id)
    if (!call) return
    const observation = observationFor.get(action.id)
    const start = timestampToNs(action.timestamp)
    const end = observation ? timestampToNs(observation.timestamp) : start
    const result = observation?.content ?? undefined
    trace.add({
      key: `tool:${action.id}`,
      parent: 'root',
      name: `execute_tool ${call.name}`,
      kind: SpanKind.INTERNAL,
      startNs: start,
      endNs: end,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
        [K.ATTR_GEN_AI_TOOL_NAME]: call.name,
        [K.ATTR_GEN_AI_TOOL_CALL_ID]: call.id,
        [K.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: call.arguments,
        [K.ATTR_GEN_AI_TOOL_CALL_RESULT]: result === undefined ? undefined : cap(result),
        'openhands.action': action.action,
      },
      ...toolError(observation),
    })
  }
}

const issueRef = (issue: NonNullable<Run['issue']>) => `${issue.owner}/${issue.repo}#${issue.number}`

function sessionOf(run: Run, fileName: string, index: number): string {
  if (run.instance_id) return run.instance_id
  if (run.issue) return issueRef(run.issue)
  return `${fileName.replace(/\.jsonl?$/i, '')}#${index + 1}`
}

/** Agent actions (not the system prompt) grouped into model turns. */
function groupTurns(events: Event[]): Turn[] {
  const turns: Turn[] = []
  const byResponse = new Map<string, Turn>()
  for (const event of events) {
    if (event.source !== 'agent' || event.action === undefined || event.action === 'system') continue
    const response = event.tool_call_metadata?.model_response
    if (!response) {
      turns.push({ key: `event-${event.id}`, actions: [event] })
      continue
    }
    const existing = byResponse.get(response.id)
    if (existing) {
      existing.actions.push(event)
      continue
    }
    const turn: Turn = { key: response.id, actions: [event], response }
    byResponse.set(response.id, turn)
    turns.push(turn)
  }
  return turns
}

function usageOf(turn: Turn, run: Run): Usage | undefined {
  if (!turn.response) return undefined
  const recorded = run.metrics?.token_usages?.find((u) => u.response_id === turn.response?.id)
  if (recorded) {
    return {
      input: recorded.prompt_tokens,
      output: recorded.completion_tokens,
      cacheRead: recorded.cache_read_tokens ?? 0,
      cacheWrite: recorded.cache_write_tokens ?? 0,
    }
  }
  const usage = turn.response.usage
  if (!usage) return undefined
  return {
    input: usage.prompt_tokens ?? 0,
    output: usage.completion_tokens ?? 0,
    cacheRead: usage.cache_read_input_tokens ?? usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  }
}

function costsOf(turns: Turn[], usages: Array<Usage | undefined>, run: Run): Array<string | undefined> | undefined {
  const entries = run.metrics?.costs ?? []
  if (entries.length === 0) return undefined
  if (entries.every((e) => e.response_id !== undefined)) {
    return turns.map((turn) => {
      const found = entries.filter((e) => e.response_id === turn.response?.id)
      return found.length === 0
        ? undefined
        : splitCost(
            found.reduce((sum, e) => sum + e.cost, 0),
            [1],
          )[0]
    })
  }
  // Older files log one cost per model call, in order, without response ids.
  if (entries.length === turns.length) return entries.map((e) => splitCost(e.cost, [1])[0])
  const total = run.metrics?.accumulated_cost ?? entries.reduce((sum, e) => sum + e.cost, 0)
  const priced = turns.map((_, i) => (usages[i] ? (usages[i]?.input ?? 0) + (usages[i]?.output ?? 0) : 0))
  return splitCost(total, priced)
}

/** Messages the model saw since its previous turn: the user's words and tool observations. */
function inputsBefore(
  events: Event[],
  first: Event,
  previousAction: Event | undefined,
  toolCalls: Map<number, ToolCall>,
): GenAiMessage[] {
  const after = previousAction?.id ?? -1
  return events
    .filter((e) => e.id > after && e.id < first.id)
    .flatMap((e): GenAiMessage[] => {
      if (e.action === 'system')
        return [{ role: 'system', parts: [textPart(String(e.args?.['content'] ?? e.message ?? ''))] }]
      if (e.source === 'user' && e.action === 'message')
        return [{ role: 'user', parts: [textPart(String(e.args?.['content'] ?? e.message ?? ''))] }]
      const id = e.tool_call_metadata?.tool_call_id ?? (e.cause == null ? undefined : toolCalls.get(e.cause)?.id)
      if (e.observation !== undefined && id)
        return [{ role: 'tool', parts: [{ type: 'tool_call_response', id, response: cap(e.content ?? '') }] }]
      return []
    })
}

function outputOf(turn: Turn, toolCalls: Map<number, ToolCall>): GenAiMessage {
  const choice = turn.response?.choices?.[0]
  if (!choice) {
    const action = turn.actions[0]
    const call = action === undefined ? undefined : toolCalls.get(action.id)
    const text = String(action?.args?.['thought'] || action?.args?.['content'] || action?.message || '')
    return {
      role: 'assistant',
      parts: [
        ...(text === '' && call ? [] : [textPart(text)]),
        ...(call
          ? [{ type: 'tool_call' as const, id: call.id, name: call.name, arguments: parseArguments(call.arguments) }]
          : []),
      ],
    }
  }
  const text = choice.message.content ?? ''
  return {
    role: 'assistant',
    parts: [
      ...(text === '' ? [] : [textPart(text)]),
      ...(choice.message.tool_calls ?? []).map((c) => ({
        type: 'tool_call' as const,
        id: c.id,
        name: c.function.name,
        arguments: parseArguments(c.function.arguments),
      })),
    ],
    ...(choice.finish_reason ? { finish_reason: choice.finish_reason } : {}),
  }
}
