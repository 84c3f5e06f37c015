/**
 * SWE-agent trajectories (`*.traj`): `{trajectory: [{thought, action, observation, response,
 * execution_time?}], history: [chat messages], info: {model_stats, exit_status}, replay_config?}`.
 *
 * One trace per file, session id = the SWE-bench instance id (`owner__repo-123`, the last two
 * `__`-separated parts of the file name). Each trajectory step is one model call (`chat`) followed
 * by one tool call (`execute_tool`): with function calling the tool name, id and arguments come from
 * the matching assistant `history` entry's `tool_calls`; otherwise the tool name is the first word of
 * the action and the arguments are `{"command": <action>}`.
 * An observation is an error when it says `command not found`, rejects an edit for a syntax error,
 * or starts with `Error`.
 *
 * Tokens and cost: the file has only run totals (`model_stats.tokens_sent`, `tokens_received`,
 * `instance_cost`). They are split across the calls so the sums match exactly (largest remainder):
 * input tokens by the size of each call's prompt (characters of the history before that call's
 * assistant message), output tokens by the size of each response, and the cost by each call's
 * share of all tokens, in units of 1e-10 USD. The per-call cost is sent as `llm.cost.total`, so the
 * server keeps the file's cost instead of pricing the tokens itself.
 * Zero is not a count: stats with no tokens at all (replayed demonstrations record calls but zeros)
 * or no stats mean usage unknown, sent as `sightline.usage.unknown` so the cost stays unknown rather
 * than $0; an `instance_cost` of 0 (a model SWE-agent could not price) sends no cost, leaving the
 * tokens to the server's price table.
 *
 * Times: the file has none (only `execution_time` per step in newer versions), so they are
 * synthesised from the base time (default 2024-01-01T00:00:00Z, `--start` to change): each call lasts
 * 500 ms + 20 ms per (split) output token, then its tool runs for `execution_time` seconds, or 200 ms
 * when the file does not say.
 *
 * Model: `replay_config.agent.model.name` when present, else the file-name prefix (`gpt4__...`).
 */
import path from 'node:path'
import * as K from '@sightline/schema/semconv'
import { z } from 'zod'
import { cap, messagesJson, parseArguments, providerFor, textPart, type GenAiMessage } from './messages.js'
import { SpanKind, TraceBuilder, type ExportTraceServiceRequest } from './otlp.js'
import { splitCost, splitInteger } from './split.js'
import { DEFAULT_BASE_MS, Timeline, TOOL_DEFAULT_MS } from './timeline.js'
import { describeIssue, type ConvertOptions } from './types.js'

const StepSchema = z.looseObject({
  action: z.string(),
  observation: z.string().nullish(),
  response: z.string().nullish(),
  thought: z.string().nullish(),
  execution_time: z.union([z.number(), z.string()]).nullish(),
})
const ContentSchema = z.union([z.string(), z.array(z.looseObject({ text: z.string().optional() }))]).nullish()
const ToolCallSchema = z.looseObject({
  id: z.string().optional(),
  function: z.looseObject({
    name: z.string(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  }),
})
const HistorySchema = z.looseObject({
  role: z.string(),
  content: ContentSchema,
  tool_calls: z.array(ToolCallSchema).nullish(),
  is_demo: z.boolean().optional(),
})
const ModelStatsSchema = z.looseObject({
  instance_cost: z.number(),
  tokens_sent: z.number(),
  tokens_received: z.number(),
  api_calls: z.number().optional(),
})
const SweAgentFileSchema = z.looseObject({
  trajectory: z.array(StepSchema),
  history: z.array(HistorySchema).optional(),
  info: z.looseObject({ model_stats: ModelStatsSchema.optional(), exit_status: z.string().nullish() }).optional(),
  replay_config: z.unknown().optional(),
})
type SweFile = z.infer<typeof SweAgentFileSchema>
type Step = z.infer<typeof StepSchema>
type History = z.infer<typeof HistorySchema>

const ERROR_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/command not found/, 'command_not_found'],
  [/Your proposed edit has introduced new syntax error/i, 'edit_syntax_error'],
  [/^\s*Error\b/, 'tool_error'],
]

export function convertSweAgent(data: unknown, opts: ConvertOptions): ExportTraceServiceRequest {
  const parsed = SweAgentFileSchema.safeParse(data)
  if (!parsed.success) throw describeIssue('swe-agent', opts.fileName, parsed.error.issues)
  return { resourceSpans: [convertRun(parsed.data, opts)] }
}

/** `gpt4__pydicom__pydicom-1458.traj` -> prefix `gpt4`, instance `pydicom__pydicom-1458`. */
function namesFromFile(fileName: string): { prefix: string; instanceId: string } {
  const parts = path
    .basename(fileName)
    .replace(/\.traj$/i, '')
    .split('__')
  if (parts.length < 3) return { prefix: '', instanceId: parts.join('__') }
  return { prefix: parts.slice(0, -2).join('__'), instanceId: parts.slice(-2).join('__') }
}

function modelOf(file: SweFile, prefix: string): string {
  const parsed = z
    .object({ agent: z.object({ model: z.object({ name: z.string() }) }) })
    .safeParse(replayConfig(file.replay_config))
  return parsed.success ? parsed.data.agent.model.name : prefix || 'unknown'
}

/** Some SWE-agent versions store replay_config as a JSON string. */
function replayConfig(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return undefined
  }
}

const contentText = (content: History['content']): string =>
  typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('')

function convertRun(file: SweFile, opts: ConvertOptions) {
  const { prefix, instanceId } = namesFromFile(opts.fileName)
  const model = modelOf(file, prefix)
  const steps = file.trajectory
  const history = file.history ?? []
  const assistantAt = history.flatMap((entry, i) => (entry.role === 'assistant' ? [i] : []))
  // Per-call prompt/response sizes drive the token split; without a matching history, fall back to the steps.
  const useHistory = assistantAt.length === steps.length
  const inputWeights = steps.map((_, i) =>
    useHistory ? promptChars(history, assistantAt[i] ?? 0) : stepPromptChars(steps, i),
  )
  const outputWeights = steps.map((step, i) =>
    useHistory ? contentText(history[assistantAt[i] ?? 0]?.content).length : (step.response ?? '').length,
  )
  const stats = file.info?.model_stats
  const counted = stats !== undefined && stats.tokens_sent + stats.tokens_received > 0 ? stats : undefined
  const inputTokens = counted ? splitInteger(counted.tokens_sent, inputWeights) : undefined
  const outputTokens = counted ? splitInteger(counted.tokens_received, outputWeights) : undefined
  const costs =
    counted && counted.instance_cost > 0 && inputTokens && outputTokens
      ? splitCost(
          counted.instance_cost,
          steps.map((_, i) => (inputTokens[i] ?? 0) + (outputTokens[i] ?? 0)),
        )
      : undefined

  const trace = new TraceBuilder(`swe-agent:${opts.fileName}`, {
    [K.ATTR_SERVICE_NAME]: 'swe-agent',
    [K.ATTR_SERVICE_VERSION]: model,
  })
  const common = { [K.ATTR_SESSION_ID]: instanceId, [K.ATTR_GEN_AI_AGENT_NAME]: 'swe-agent' }
  const clock = new Timeline(opts.baseTimeMs ?? DEFAULT_BASE_MS)
  const startNs = clock.take(0)[0]
  let previousAssistant = -1
  steps.forEach((step, i) => {
    const entry = useHistory ? history[assistantAt[i] ?? 0] : undefined
    const newInputs = useHistory ? history.slice(previousAssistant + 1, assistantAt[i]) : []
    previousAssistant = assistantAt[i] ?? previousAssistant
    const outTokens = outputTokens?.[i] ?? 0
    const [chatStart, chatEnd] = clock.llmTurn(outTokens)
    const tool = toolOf(step, entry, i)
    trace.add({
      key: `chat:${i}`,
      parent: 'root',
      name: `chat ${model}`,
      kind: SpanKind.CLIENT,
      startNs: chatStart,
      endNs: chatEnd,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'chat',
        [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
        [K.ATTR_GEN_AI_PROVIDER_NAME]: providerFor(model),
        [K.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: inputTokens?.[i],
        [K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens?.[i],
        [K.ATTR_SIGHTLINE_USAGE_UNKNOWN]: counted === undefined ? true : undefined,
        [K.ATTR_OI_COST_TOTAL]: costs?.[i],
        [K.ATTR_GEN_AI_INPUT_MESSAGES]: messagesJson(newInputs.map(historyMessage)),
        [K.ATTR_GEN_AI_OUTPUT_MESSAGES]: messagesJson([
          {
            role: 'assistant',
            parts: [
              textPart(step.thought ?? step.response ?? ''),
              { type: 'tool_call', id: tool.id, name: tool.name, arguments: parseArguments(tool.arguments) },
            ],
          },
        ]),
      },
    })
    const seconds = Number(step.execution_time)
    const [toolStart, toolEnd] = clock.take(
      Number.isFinite(seconds) && step.execution_time != null ? seconds * 1000 : TOOL_DEFAULT_MS,
    )
    const observation = step.observation ?? ''
    const error = ERROR_PATTERNS.find(([pattern]) => pattern.test(observation))
    trace.add({
      key: `tool:${i}`,
      parent: 'root',
      name: `execute_tool ${tool.name}`,
      kind: SpanKind.INTERNAL,
      startNs: toolStart,
      endNs: toolEnd,
      attributes: {
        ...common,
        [K.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
        [K.ATTR_GEN_AI_TOOL_NAME]: tool.name,
        [K.ATTR_GEN_AI_TOOL_CALL_ID]: tool.id,
        [K.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: tool.arguments,
        [K.ATTR_GEN_AI_TOOL_CALL_RESULT]: cap(observation),
      },
      ...(error ? { error: { type: error[1], message: cap(observation, 500) } } : {}),
    })
  })
  trace.add({
    key: 'root',
    name: 'invoke_agent swe-agent',
    kind: SpanKind.INTERNAL,
    startNs,
    endNs: clock.take(0)[1],
    attributes: {
      ...common,
      [K.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
      [K.ATTR_GEN_AI_REQUEST_MODEL]: model,
      'swe_agent.exit_status': file.info?.exit_status ?? undefined,
      'swe_agent.api_calls': stats?.api_calls,
      'swe_agent.instance_cost': stats?.instance_cost,
      'swe_agent.tokens_sent': stats?.tokens_sent,
      'swe_agent.tokens_received': stats?.tokens_received,
    },
  })
  return trace.build()
}

function toolOf(
  step: Step,
  entry: History | undefined,
  index: number,
): { name: string; id: string; arguments: string } {
  const call = entry?.tool_calls?.[0]
  if (call) {
    const args = call.function.arguments
    return {
      name: call.function.name,
      id: call.id ?? `step-${index}`,
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    }
  }
  const action = step.action.trim()
  return { name: action.split(/\s+/)[0] || 'bash', id: `step-${index}`, arguments: JSON.stringify({ command: action }) }
}

/** Characters of everything the model had seen before the assistant message at `at`. */
function promptChars(history: History[], at: number): number {
  return history.slice(0, at).reduce((sum, entry) => sum + contentText(entry.content).length, 0)
}

function stepPromptChars(steps: Step[], at: number): number {
  return 1 + steps.slice(0, at).reduce((sum, s) => sum + (s.response ?? '').length + (s.observation ?? '').length, 0)
}

function historyMessage(entry: History): GenAiMessage {
  return { role: entry.role, parts: [textPart(contentText(entry.content))] }
}
