/**
 * Turns a span's `input` / `output` text into chat messages. Ingest keeps each client's own shape,
 * so this accepts OTel GenAI (`{role, parts}`), OpenAI (`{role, content, tool_calls}`), AI SDK
 * (`{system, messages}`, `tool-call` / `tool-result` parts, `response.toolCalls`), OpenInference's
 * flattened messages, `{messages}` / `{prompt}` wrappers and plain strings. Anything else falls back
 * to one message holding the raw JSON, never an error.
 */

export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; name: string; id: string; arguments: unknown }
  | { type: 'tool_result'; id: string; name: string; result: unknown }
  | { type: 'json'; value: unknown }

export interface ChatMessage {
  role: string
  parts: MessagePart[]
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v))

/** Parses JSON text when it is JSON; strings that are not stay strings. */
export function parseMaybeJson(text: string): unknown {
  const trimmed = text.trim()
  if (!trimmed || !'[{"'.includes(trimmed[0]!)) return text
  try {
    return JSON.parse(trimmed)
  } catch {
    return text
  }
}

export function parseMessages(text: string, fallbackRole: string): ChatMessage[] {
  if (!text.trim()) return []
  return toMessages(parseMaybeJson(text), fallbackRole)
}

function toMessages(value: unknown, role: string): ChatMessage[] {
  if (typeof value === 'string') return [{ role, parts: [{ type: 'text', text: value }] }]
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(looksLikeToolCall))
      return [{ role: 'assistant', parts: value.map(toolCallPart) }]
    if (value.length > 0 && value.every((v) => isObj(v) && ('role' in v || 'message' in v)))
      return value.map((v) => toMessage(v as Obj, role))
    return [{ role, parts: [{ type: 'json', value }] }]
  }
  if (isObj(value)) {
    const out: ChatMessage[] = []
    if (typeof value['system'] === 'string')
      out.push({ role: 'system', parts: [{ type: 'text', text: value['system'] }] })
    for (const key of ['messages', 'prompt', 'input', 'output', 'completion', 'choices']) {
      if (key in value && value[key] !== undefined)
        return [...out, ...toMessages(key === 'choices' ? choices(value[key]) : value[key], role)]
    }
    if ('role' in value || 'parts' in value || 'content' in value) return [...out, toMessage(value, role)]
    if (out.length) return out
  }
  return [{ role, parts: [{ type: 'json', value }] }]
}

const choices = (value: unknown) => (Array.isArray(value) ? value.map((c) => (isObj(c) && c['message']) || c) : value)

function looksLikeToolCall(v: unknown): boolean {
  return isObj(v) && ('toolName' in v || isObj(v['tool_call']) || (isObj(v['function']) && 'name' in v['function']))
}

function toolCallPart(v: unknown): MessagePart {
  // OpenInference flattens each call as `tool_calls.N.tool_call.function.*`.
  const o = isObj(v) && isObj(v['tool_call']) ? v['tool_call'] : (v as Obj)
  const fn = isObj(o['function']) ? o['function'] : undefined
  return {
    type: 'tool_call',
    name: str(o['name'] ?? o['toolName'] ?? fn?.['name']),
    id: str(o['id'] ?? o['toolCallId'] ?? o['tool_call_id']),
    arguments: parseArgs(o['arguments'] ?? o['input'] ?? o['args'] ?? fn?.['arguments']),
  }
}

const parseArgs = (v: unknown) => (typeof v === 'string' ? parseMaybeJson(v) : v)

function toMessage(raw: Obj, fallbackRole: string): ChatMessage {
  const m = isObj(raw['message']) ? (raw['message'] as Obj) : raw
  const role = str(m['role']) || fallbackRole
  const parts: MessagePart[] = []
  const content = m['parts'] ?? m['content'] ?? m['contents']
  if (typeof content === 'string') {
    if (content)
      parts.push(
        role === 'tool'
          ? { type: 'tool_result', id: str(m['tool_call_id']), name: str(m['name']), result: parseMaybeJson(content) }
          : { type: 'text', text: content },
      )
  } else if (Array.isArray(content)) {
    for (const p of content) parts.push(toPart(p))
  } else if (content !== undefined && content !== null) {
    parts.push({ type: 'json', value: content })
  }
  const toolCalls = m['tool_calls'] ?? m['toolCalls']
  if (Array.isArray(toolCalls)) for (const call of toolCalls) parts.push(toolCallPart(call))
  return { role, parts }
}

function toPart(p: unknown): MessagePart {
  if (typeof p === 'string') return { type: 'text', text: p }
  if (!isObj(p)) return { type: 'json', value: p }
  const type = str(p['type'])
  if (type === 'text' || (!type && ('text' in p || 'content' in p)))
    return { type: 'text', text: str(p['content'] ?? p['text']) }
  if (type === 'reasoning' || type === 'thinking')
    return { type: 'reasoning', text: str(p['content'] ?? p['text'] ?? p['thinking']) }
  if (type === 'tool_call' || type === 'tool-call' || type === 'function_call' || type === 'tool_use')
    return toolCallPart(p)
  if (
    type === 'tool_call_response' ||
    type === 'tool-result' ||
    type === 'tool_result' ||
    type === 'function_call_output'
  ) {
    return {
      type: 'tool_result',
      id: str(p['id'] ?? p['toolCallId'] ?? p['tool_use_id'] ?? p['call_id']),
      name: str(p['name'] ?? p['toolName']),
      result: parseArgs(p['response'] ?? p['result'] ?? p['output'] ?? p['content']),
    }
  }
  return { type: 'json', value: p }
}
