/**
 * What an OpenHands action called and whether the call failed, for both run kinds: function calling
 * (`tool_call_metadata` on the action) and text actions (older CodeAct, no metadata anywhere).
 */
import type { Event } from './openhands-schema.js'
import { cap } from './messages.js'

export interface ToolCall {
  name: string
  id: string
  arguments: string
}

/** Text actions that are the model talking or stopping, not calling a tool. */
const NOT_TOOL_ACTIONS = new Set(['message', 'finish', 'system'])
/** Action args that are OpenHands' bookkeeping or the model's prose, not arguments of the call. */
const NOT_ARGUMENTS = new Set([
  'thought',
  'keep_prompt',
  'is_confirmed',
  'security_risk',
  'action_risk',
  'kernel_init_code',
])

/**
 * The tool call each action made, by action id. Function-calling runs say so in
 * `tool_call_metadata`; in a run with none anywhere, an answered action that is not a message is one.
 */
export function toolCallsOf(
  events: Event[],
  observationFor: Map<number | null | undefined, Event>,
): Map<number, ToolCall> {
  const calls = new Map<number, ToolCall>()
  const textActions = !events.some((e) => e.tool_call_metadata)
  for (const action of events) {
    if (action.action === undefined) continue
    const meta = action.tool_call_metadata
    if (meta) {
      const call = meta.model_response.choices?.[0]?.message.tool_calls?.find((c) => c.id === meta.tool_call_id)
      calls.set(action.id, {
        name: meta.function_name,
        id: meta.tool_call_id,
        arguments: call?.function.arguments ?? JSON.stringify(action.args ?? {}),
      })
    } else if (
      textActions &&
      action.source === 'agent' &&
      !NOT_TOOL_ACTIONS.has(action.action) &&
      observationFor.has(action.id)
    ) {
      const args = Object.fromEntries(Object.entries(action.args ?? {}).filter(([key]) => !NOT_ARGUMENTS.has(key)))
      calls.set(action.id, {
        name: action.action,
        id: `${action.action}-${action.id}`,
        arguments: JSON.stringify(args),
      })
    }
  }
  return calls
}

export function toolError(observation: Event | undefined): { error?: { type: string; message: string } } {
  if (!observation) return {}
  if (observation.observation === 'error')
    return { error: { type: 'error_observation', message: cap(observation.content ?? '', 500) } }
  // The file editor reports failures in the text rather than the observation type.
  if (/^ERROR:/.test(observation.content ?? ''))
    return { error: { type: 'tool_error', message: cap(observation.content ?? '', 500) } }
  if (/^\[Your proposed edit has introduced new syntax error/.test(observation.content ?? '')) {
    return { error: { type: 'edit_syntax_error', message: cap(observation.content ?? '', 500) } }
  }
  const code = observation.extras?.metadata?.exit_code ?? observation.extras?.exit_code
  if (code != null && code !== 0 && code !== -1)
    return { error: { type: 'non_zero_exit', message: `exit code ${code}` } }
  return {}
}
