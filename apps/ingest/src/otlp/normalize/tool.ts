/**
 * Tool call fields. Read only on `tool` spans: LLM spans also carry tool names (definitions, requested
 * calls), and copying those would make one tool call appear twice in the tool-calls view.
 */
import * as K from '@sightline/schema/semconv'
import type { AttrValue, Attributes } from '../types.js'
import { ADK_NO_CALL_ID, unwrapAdkToolResult } from './adk.js'
import { firstPresent, firstString, toJsonText } from './attributes.js'

export interface ToolCall {
  name: string
  callId: string
  /** JSON text. */
  arguments: string
  /** JSON text. */
  result: string
}

export const NO_TOOL: ToolCall = { name: '', callId: '', arguments: '', result: '' }

const NAME_KEYS = [K.ATTR_GEN_AI_TOOL_NAME, K.ATTR_OI_TOOL_NAME, K.ATTR_AI_TOOL_CALL_NAME]
const CALL_ID_KEYS = [K.ATTR_GEN_AI_TOOL_CALL_ID, K.ATTR_OI_TOOL_CALL_ID, K.ATTR_AI_TOOL_CALL_ID]
const ARGUMENT_KEYS = [
  K.ATTR_LANGFUSE_OBSERVATION_INPUT,
  K.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  K.ATTR_OI_INPUT_VALUE,
  K.ATTR_TRACELOOP_ENTITY_INPUT,
  K.ATTR_AI_TOOL_CALL_ARGS,
  K.ATTR_ADK_TOOL_CALL_ARGS,
]
const RESULT_KEYS = [
  K.ATTR_LANGFUSE_OBSERVATION_OUTPUT,
  K.ATTR_GEN_AI_TOOL_CALL_RESULT,
  K.ATTR_OI_OUTPUT_VALUE,
  K.ATTR_TRACELOOP_ENTITY_OUTPUT,
  K.ATTR_AI_TOOL_CALL_RESULT,
]

/** Span names that carry the tool: OTel `execute_tool x`, MCP `tools/call x`, Traceloop `x.tool`. */
const NAME_PATTERNS: readonly RegExp[] = [/^execute_tool (.+)$/, /^tools\/call (.+)$/, /^(.+)\.tool$/]

export function extractTool(attrs: Attributes, spanName: string): ToolCall {
  const args = firstPresent(attrs, ARGUMENT_KEYS)
  const result = firstPresent(attrs, RESULT_KEYS) ?? adkResult(attrs)
  const message = result === undefined ? undefined : langchainToolMessage(result)
  const callId = firstString(attrs, CALL_ID_KEYS)
  return {
    name: firstString(attrs, NAME_KEYS) || traceloopToolName(attrs) || toolNameFromSpanName(spanName),
    callId: (callId !== ADK_NO_CALL_ID && callId) || message?.toolCallId || '',
    arguments: args === undefined ? '' : toJsonText(args),
    result: message ? toJsonText(message.content) : result === undefined ? '' : toJsonText(result),
  }
}

/**
 * OpenInference's LangChain instrumentation records a tool's output as LangChain's serialised
 * ToolMessage (`{"output":{"lc":1,"type":"constructor","id":[…,"ToolMessage"],"kwargs":{…}}}`):
 * the tool's own result and the model's call id are inside it.
 */
function langchainToolMessage(value: unknown): { content: AttrValue; toolCallId: string } | undefined {
  let parsed: unknown = value
  if (typeof value === 'string') {
    if (!value.includes('ToolMessage')) return undefined
    try {
      parsed = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  const record = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  const outer = record(parsed)
  const serialised = record(outer?.output) ?? outer
  const ids = serialised?.id
  if (serialised?.lc !== 1 || !Array.isArray(ids) || ids[ids.length - 1] !== 'ToolMessage') return undefined
  const kwargs = record(serialised.kwargs)
  if (!kwargs) return undefined
  return {
    content: (kwargs.content ?? '') as AttrValue,
    toolCallId: typeof kwargs.tool_call_id === 'string' ? kwargs.tool_call_id : '',
  }
}

function adkResult(attrs: Attributes): AttrValue | undefined {
  const value = firstPresent(attrs, [K.ATTR_ADK_TOOL_RESPONSE])
  return value === undefined ? undefined : unwrapAdkToolResult(value)
}

function traceloopToolName(attrs: Attributes): string {
  return firstString(attrs, [K.ATTR_TRACELOOP_SPAN_KIND]) === 'tool'
    ? firstString(attrs, [K.ATTR_TRACELOOP_ENTITY_NAME])
    : ''
}

/** Else the whole span name: Langfuse and OpenInference name tool spans after the tool. */
function toolNameFromSpanName(spanName: string): string {
  for (const pattern of NAME_PATTERNS) {
    const match = pattern.exec(spanName)
    if (match?.[1]) return match[1]
  }
  return spanName
}
