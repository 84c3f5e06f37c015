/**
 * @module content/requested-tool-calls
 * The tool calls a model asked for, read from its captured output in the shapes it comes in:
 * OpenAI chat `tool_calls[].function` (OpenInference wraps each as `tool_call`), OpenAI Responses
 * and OTel GenAI parts (`type: function_call | tool_call`), Anthropic `tool_use` blocks, Gemini
 * `functionCall` parts, AI SDK `{toolCallId, toolName, input|args}`.
 */
export interface RequestedToolCall {
  /** The call id the model gave ('' when it gave none: Gemini, OpenInference chat messages). */
  id: string
  name: string
  /** JSON text. */
  arguments: string
}

/** A model output is small, but a pathological one must not cost the read path much. */
const MAX_NODES = 20_000
const MAX_DEPTH = 16

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonRecord = { [key: string]: Json }

const isRecord = (v: Json | undefined): v is JsonRecord => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: Json | undefined): string => (typeof v === 'string' ? v : '')

/** Always JSON text: a string that holds JSON as is, any other string quoted, values serialised. */
function argumentsText(value: Json | undefined): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') return JSON.stringify(value)
  try {
    JSON.parse(value)
    return value
  } catch {
    return JSON.stringify(value)
  }
}

const CALL_TYPES = new Set(['tool_call', 'function_call', 'tool_use'])

/** The call an object describes, if it is one. */
function asCall(node: JsonRecord): RequestedToolCall | undefined {
  const fn = node['function']
  if (isRecord(fn) && text(fn['name']) && 'arguments' in fn) {
    return {
      id: text(node['id']) || text(node['call_id']),
      name: text(fn['name']),
      arguments: argumentsText(fn['arguments']),
    }
  }
  const gemini = node['functionCall']
  if (isRecord(gemini) && text(gemini['name']))
    return { id: text(gemini['id']), name: text(gemini['name']), arguments: argumentsText(gemini['args']) }
  const typed = CALL_TYPES.has(text(node['type'])) && text(node['name'])
  const aiSdk = text(node['toolName'])
  if (typed || aiSdk) {
    return {
      id: text(node['call_id']) || text(node['toolCallId']) || text(node['id']),
      name: typed ? text(node['name']) : aiSdk,
      arguments: argumentsText(node['arguments'] ?? node['input'] ?? node['args']),
    }
  }
  return undefined
}

export function requestedToolCalls(raw: string): RequestedToolCall[] {
  if (!raw || !/function|tool|Call/.test(raw)) return []
  let root: Json
  try {
    root = JSON.parse(raw) as Json
  } catch {
    return []
  }
  const calls: RequestedToolCall[] = []
  const stack: Array<[Json, number]> = [[root, 0]]
  for (let visited = 0; stack.length > 0 && visited < MAX_NODES; visited++) {
    const [node, depth] = stack.pop()!
    if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) continue
    const call = isRecord(node) ? asCall(node) : undefined
    if (call) {
      calls.push(call)
      continue
    }
    const children = Array.isArray(node) ? node : Object.values(node)
    // Reverse so the walk meets calls in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1])
  }
  return calls
}
