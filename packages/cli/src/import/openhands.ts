/**
 * OpenHands event streams. Two shapes: an evaluation output (`output.jsonl`, one run per line:
 * `{instance_id, metadata, history: [events], metrics}`) and a bare recorded event array
 * (`tests/runtime/trajs/*.json`, one run per file).
 *
 * One trace per run, session id = `instance_id` (or the file name for a bare array). Model turns:
 * agent actions grouped by `tool_call_metadata.model_response.id` (one response can issue several
 * actions) -> one `chat` span each; an agent action with no metadata (a plain `message`) is a turn
 * of its own with no usage. Every action with `tool_call_metadata` is one `execute_tool` span whose
 * result is the observation whose `cause` is that action. Errors: an `error` observation, a result
 * text starting `ERROR:` (file editor), or a non-zero `extras.metadata.exit_code`. An `error`
 * observation with no `cause` (a rejected tool call the file kept no action for) becomes an
 * `openhands.error` event on the root span.
 *
 * Times are the file's own: event timestamps have no zone and are read as UTC, microseconds kept.
 * A chat span ends at its first action's timestamp and lasts the response's latency from
 * `metrics.response_latencies` (never starting before the previous event); a tool span runs from
 * its action to its observation.
 * Tokens: `metrics.token_usages` by response id, else the response's own `usage`. Costs are sent
 * (`llm.cost.total`) only where the file priced the call: `metrics.costs` entries by response id,
 * else `accumulated_cost` split across calls by tokens; OpenHands records 0 for models it cannot
 * price, so a zero total with no cost entries is left for the server's price table.
 */
import * as K from '@sightline/schema/semconv'
import { OpenHandsFileSchema, type Event, type ModelResponse, type Run } from './openhands-schema.js'
import { cap, messagesJson, parseArguments, providerFor, textPart, type GenAiMessage } from './messages.js'
import { SpanKind, TraceBuilder, type ExportTraceServiceRequest } from './otlp.js'
import { splitCost } from './split.js'
import { describeIssue, type ConvertOptions } from './types.js'


export function convertOpenHands(data: unknown, opts: ConvertOptions): ExportTraceServiceRequest {
  // A single-run JSON object is the one-line case of output.jsonl.
  const parsed = OpenHandsFileSchema.safeParse(Array.isArray(data) ? data : [data])
  if (!parsed.success) throw describeIssue('openhands', opts.fileName, parsed.error.issues)
  const runs: Run[] = parsed.data.every((item) => 'history' in item)
    ? (parsed.data as Run[])
    : [{ instance_id: opts.fileName.replace(/\.jsonl?$/i, ''), history: parsed.data as Event[] }]
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
  const model = run.metadata?.llm_config?.model ?? events.find((e) => e.tool_call_metadata)?.tool_call_metadata?.model_response.model ?? 'unknown'
  const agent = run.metadata?.agent_class ?? 'openhands'
  const version = /_v(\d+\.\d+\.\d+)/.exec(run.metadata?.eval_output_dir ?? '')?.[1] ?? run.metadata?.git_commit ?? undefined
  const trace = new TraceBuilder(`openhands:${fileName}:${index}`, { [K.ATTR_SERVICE_NAME]: 'openhands', [K.ATTR_SERVICE_VERSION]: version })
  const common = { [K.ATTR_SESSION_ID]: run.instance_id, [K.ATTR_GEN_AI_AGENT_NAME]: agent }

  const turns = groupTurns(events)
  const usages = turns.map((turn) => usageOf(turn, run))
  const costs = costsOf(turns, usages, run)
  const latency = new Map((run.metrics?.response_latencies ?? []).map((l) => [l.response_id, l.latency]))
  const observationFor = new Map(events.filter((e) => e.observation !== undefined && e.cause != null).map((e) => [e.cause, e]))
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
        [K.ATTR_OI_COST_TOTAL]: costs?.[i],
        [K.ATTR_GEN_AI_INPUT_MESSAGES]: messagesJson(inputsBefore(events, first, turns[i - 1]?.actions.at(-1))),
        [K.ATTR_GEN_AI_OUTPUT_MESSAGES]: messagesJson([outputOf(turn)]),
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
    },
    ...(run.error ? { error: { type: 'run_error', message: cap(run.error, 500) } } : {}),
    // Error observations with no cause answer a model response the file did not keep as an action
    // (e.g. a tool call with invalid parameters): there is no tool span to mark, so they are root events.
    events: events
      .filter((e) => e.observation === 'error' && e.cause == null)
      .map((e) => ({ name: 'openhands.error', timeNs: timestampToNs(e.timestamp), attributes: { 'openhands.error.message': cap(e.content ?? '', 500) } })),
  })
  return trace.build()

  function addTool(action: Event): void {
    const meta = action.tool_call_metadata
    if (!meta) return
    const observation = observationFor.get(action.id)
    const start = timestampToNs(action.timestamp)
    const end = observation ? timestampToNs(observation.timestamp) : start
    const call = meta.model_response.choices?.[0]?.message.tool_calls?.find((c) => c.id === meta.tool_call_id)
    const result = observation?.content ?? undefined
    trace.add({
      key: `tool:${action.id}`,
      parent: 'root',
      name: `execute_tool ${meta.function_name}`,
      kind: SpanKind.INTERNAL,
      startNs: start,
      endNs: end,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
        [K.ATTR_GEN_AI_TOOL_NAME]: meta.function_name,
        [K.ATTR_GEN_AI_TOOL_CALL_ID]: meta.tool_call_id,
        [K.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: call?.function.arguments ?? JSON.stringify(action.args ?? {}),
        [K.ATTR_GEN_AI_TOOL_CALL_RESULT]: result === undefined ? undefined : cap(result),
        'openhands.action': action.action,
      },
      ...toolError(observation),
    })
  }
}

function toolError(observation: Event | undefined): { error?: { type: string; message: string } } {
  if (!observation) return {}
  if (observation.observation === 'error') return { error: { type: 'error_observation', message: cap(observation.content ?? '', 500) } }
  // The file editor reports failures in the text rather than the observation type.
  if (/^ERROR:/.test(observation.content ?? '')) return { error: { type: 'tool_error', message: cap(observation.content ?? '', 500) } }
  const code = observation.extras?.metadata?.exit_code
  if (code != null && code !== 0 && code !== -1) return { error: { type: 'non_zero_exit', message: `exit code ${code}` } }
  return {}
}

/** Agent actions (not the system prompt) grouped into model turns. */
export function groupTurns(events: Event[]): Turn[] {
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
    return { input: recorded.prompt_tokens, output: recorded.completion_tokens, cacheRead: recorded.cache_read_tokens ?? 0, cacheWrite: recorded.cache_write_tokens ?? 0 }
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
      return found.length === 0 ? undefined : splitCost(found.reduce((sum, e) => sum + e.cost, 0), [1])[0]
    })
  }
  const total = run.metrics?.accumulated_cost ?? entries.reduce((sum, e) => sum + e.cost, 0)
  const priced = turns.map((_, i) => (usages[i] ? (usages[i]?.input ?? 0) + (usages[i]?.output ?? 0) : 0))
  return splitCost(total, priced)
}

/** Messages the model saw since its previous turn: the user's words and tool observations. */
function inputsBefore(events: Event[], first: Event, previousAction: Event | undefined): GenAiMessage[] {
  const after = previousAction?.id ?? -1
  return events
    .filter((e) => e.id > after && e.id < first.id)
    .flatMap((e): GenAiMessage[] => {
      if (e.action === 'system') return [{ role: 'system', parts: [textPart(String(e.args?.['content'] ?? e.message ?? ''))] }]
      if (e.source === 'user' && e.action === 'message') return [{ role: 'user', parts: [textPart(String(e.args?.['content'] ?? e.message ?? ''))] }]
      const id = e.tool_call_metadata?.tool_call_id
      if (e.observation !== undefined && id) return [{ role: 'tool', parts: [{ type: 'tool_call_response', id, response: cap(e.content ?? '') }] }]
      return []
    })
}

function outputOf(turn: Turn): GenAiMessage {
  const choice = turn.response?.choices?.[0]
  if (!choice) {
    const action = turn.actions[0]
    return { role: 'assistant', parts: [textPart(String(action?.args?.['content'] ?? action?.message ?? ''))] }
  }
  const text = choice.message.content ?? ''
  return {
    role: 'assistant',
    parts: [
      ...(text === '' ? [] : [textPart(text)]),
      ...(choice.message.tool_calls ?? []).map((c) => ({ type: 'tool_call' as const, id: c.id, name: c.function.name, arguments: parseArguments(c.function.arguments) })),
    ],
    ...(choice.finish_reason ? { finish_reason: choice.finish_reason } : {}),
  }
}
