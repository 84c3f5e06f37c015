/**
 * tau-bench historical trajectories (`historical_trajectories/<model>-<domain>.json`): an array of
 * runs `{task_id, trial, reward, info, traj}`, where `traj` is the OpenAI chat transcript of the
 * agent against a simulated user.
 *
 * One trace per run (task x trial), session id `task-<task_id>` so the trials of a task group
 * together. One `chat` span per assistant message, one `execute_tool` span per tool call (result =
 * the `role: tool` message right after that turn, matched by call id there because the file reuses
 * call ids across turns; an `Error: ...` result marks the span as an error).
 *
 * The file has no timestamps and no token counts, so each chat span says its usage is unknown
 * (`sightline.usage.unknown`: the server keeps its cost unknown instead of pricing zero tokens)
 * and times are synthesised: runs are laid out back to back from the base time (default
 * 2024-01-01T00:00:00Z, `--start` to change) with a 1 s gap; inside a run each user message waits 2 s, each assistant
 * turn
 * lasts 500 ms + 20 ms per estimated output token (characters / 4 of its text and tool arguments),
 * and each tool call lasts 200 ms, starting right after the turn that requested it.
 * The model and domain come from the file name (`gpt-4o-airline.json` -> `gpt-4o`, `airline`).
 */
import * as K from '@sightline/schema/semconv'
import { z } from 'zod'
import { cap, messagesJson, parseArguments, providerFor, textPart, type GenAiMessage } from './messages.js'
import { SpanKind, TraceBuilder, type ExportTraceServiceRequest } from './otlp.js'
import { DEFAULT_BASE_MS, estimateTokens, RUN_GAP_MS, Timeline, TOOL_DEFAULT_MS, USER_TURN_MS } from './timeline.js'
import { describeIssue, type ConvertOptions } from './types.js'

const ToolCallSchema = z.looseObject({
  id: z.string(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
})
const MessageSchema = z.looseObject({
  role: z.string(),
  content: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
})
const RunSchema = z.looseObject({
  task_id: z.union([z.number(), z.string()]),
  trial: z.number().nullish(),
  reward: z.number().nullish(),
  info: z.looseObject({ user_cost: z.number().nullish() }).nullish(),
  traj: z.array(MessageSchema),
})
const TauBenchFileSchema = z.array(RunSchema)
type Run = z.infer<typeof RunSchema>
type Message = z.infer<typeof MessageSchema>

const KNOWN_DOMAINS = ['airline', 'retail']

function modelAndDomain(fileName: string): { model: string; domain: string } {
  const base = fileName.replace(/\.json$/i, '')
  for (const domain of KNOWN_DOMAINS) {
    if (base.endsWith(`-${domain}`)) return { model: base.slice(0, -domain.length - 1), domain }
  }
  return { model: 'unknown', domain: base }
}

export function convertTauBench(data: unknown, opts: ConvertOptions): ExportTraceServiceRequest {
  const parsed = TauBenchFileSchema.safeParse(data)
  if (!parsed.success) throw describeIssue('tau-bench', opts.fileName, parsed.error.issues)
  const runs = opts.limit === undefined ? parsed.data : parsed.data.slice(0, opts.limit)
  const clock = new Timeline(opts.baseTimeMs ?? DEFAULT_BASE_MS)
  const resourceSpans = runs.map((run, index) => {
    const spans = convertRun(run, index, clock, opts.fileName)
    clock.wait(RUN_GAP_MS)
    return spans
  })
  return { resourceSpans }
}

function convertRun(run: Run, index: number, clock: Timeline, fileName: string) {
  const { model, domain } = modelAndDomain(fileName)
  const agent = `tau-bench-${domain}`
  const sessionId = `task-${run.task_id}`
  const trace = new TraceBuilder(`tau-bench:${fileName}:${index}`, {
    [K.ATTR_SERVICE_NAME]: 'tau-bench',
    [K.ATTR_SERVICE_VERSION]: model,
  })
  const common = { [K.ATTR_SESSION_ID]: sessionId, [K.ATTR_GEN_AI_AGENT_NAME]: agent }
  const startMs = clock.nowMs
  let pending: GenAiMessage[] = []
  let turn = 0
  run.traj.forEach((message, at) => {
    if (message.role === 'assistant') {
      addTurn(message, turn++, resultsAfter(run.traj, at))
      return
    }
    if (message.role === 'user') clock.wait(USER_TURN_MS)
    pending.push(inputMessage(message))
  })
  const [startNs, endNs] = [BigInt(startMs) * 1_000_000n, BigInt(clock.nowMs) * 1_000_000n]
  trace.add({
    key: 'root',
    name: `invoke_agent ${agent}`,
    kind: SpanKind.INTERNAL,
    startNs,
    endNs,
    attributes: {
      ...common,
      [K.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
      'tau_bench.task_id': String(run.task_id),
      'tau_bench.trial': run.trial,
      'tau_bench.reward': run.reward,
      // Cost of the simulated user's model, not the agent's: kept for reference, never summed as agent cost.
      'tau_bench.user_cost': run.info?.user_cost,
    },
  })
  return trace.build()

  function addTurn(message: Message, turnIndex: number, results: Map<string, Message>): void {
    const calls = message.tool_calls ?? []
    const text = message.content ?? ''
    const outputChars = text + calls.map((c) => c.function.arguments).join('')
    const [start, end] = clock.llmTurn(estimateTokens(outputChars))
    const output: GenAiMessage = {
      role: 'assistant',
      parts: [
        ...(text === '' ? [] : [textPart(text)]),
        ...calls.map((c) => ({
          type: 'tool_call' as const,
          id: c.id,
          name: c.function.name,
          arguments: parseArguments(c.function.arguments),
        })),
      ],
      finish_reason: calls.length > 0 ? 'tool_call' : 'stop',
    }
    trace.add({
      key: `chat:${turnIndex}`,
      parent: 'root',
      name: `chat ${model}`,
      kind: SpanKind.CLIENT,
      startNs: start,
      endNs: end,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'chat',
        [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
        [K.ATTR_GEN_AI_PROVIDER_NAME]: providerFor(model),
        [K.ATTR_SIGHTLINE_USAGE_UNKNOWN]: true,
        [K.ATTR_GEN_AI_INPUT_MESSAGES]: messagesJson(pending),
        [K.ATTR_GEN_AI_OUTPUT_MESSAGES]: messagesJson([output]),
      },
    })
    pending = []
    calls.forEach((call, callIndex) => {
      const result = results.get(call.id)?.content ?? undefined
      const [toolStart, toolEnd] = clock.take(TOOL_DEFAULT_MS)
      trace.add({
        key: `tool:${turnIndex}:${callIndex}`,
        parent: 'root',
        name: `execute_tool ${call.function.name}`,
        kind: SpanKind.INTERNAL,
        startNs: toolStart,
        endNs: toolEnd,
        attributes: {
          ...common,
          [K.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
          [K.ATTR_GEN_AI_TOOL_NAME]: call.function.name,
          [K.ATTR_GEN_AI_TOOL_CALL_ID]: call.id,
          [K.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: call.function.arguments,
          [K.ATTR_GEN_AI_TOOL_CALL_RESULT]: result === undefined ? undefined : cap(result),
        },
        // tau-bench tools report failures as a result text starting with "Error:".
        ...(result !== undefined && /^Error\b/.test(result)
          ? { error: { type: 'tool_error', message: cap(result, 500) } }
          : {}),
      })
    })
  }
}

/**
 * The tool results answering the assistant message at `at`: the `tool` messages right after it.
 * Matched there rather than across the run because the file reuses call ids between turns.
 */
function resultsAfter(traj: Message[], at: number): Map<string, Message> {
  const results = new Map<string, Message>()
  for (const message of traj.slice(at + 1)) {
    if (message.role !== 'tool') break
    if (message.tool_call_id && !results.has(message.tool_call_id)) results.set(message.tool_call_id, message)
  }
  return results
}

function inputMessage(message: Message): GenAiMessage {
  const text = message.content ?? ''
  if (message.role === 'tool') {
    return {
      role: 'tool',
      parts: [{ type: 'tool_call_response', id: message.tool_call_id ?? '', response: cap(text) }],
    }
  }
  return { role: message.role, parts: [textPart(text)] }
}
