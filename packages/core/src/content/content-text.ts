/**
 * @module content/content-text
 * Readable text out of the shapes captured content comes in (plain text, OTel/OpenAI message lists,
 * `{text}` parts, Gemini `parts`, a Gemini request's `contents` and response's `content`): what
 * previews, the regression proposal and the runner show.
 */
import { NOT_JSON, parseJsonText } from './json-text.js'

/** LangChain's serialised messages name their role by class (`{lc, id: [..., 'HumanMessage'], kwargs}`). */
const LANGCHAIN_ROLES: Record<string, string> = {
  HumanMessage: 'user',
  AIMessage: 'assistant',
  AIMessageChunk: 'assistant',
  ToolMessage: 'tool',
  SystemMessage: 'system',
}

function roleOf(message: object): unknown {
  const m = message as { role?: unknown; lc?: unknown; id?: unknown }
  if (m.role !== undefined) return m.role
  return m.lc === 1 && Array.isArray(m.id) ? LANGCHAIN_ROLES[String(m.id[m.id.length - 1])] : undefined
}

/** Gemini calls the assistant `model`. */
const hasRole = (message: object, role: 'user' | 'assistant'): boolean => {
  const actual = roleOf(message)
  return actual === role || (role === 'assistant' && actual === 'model')
}

/** The message list inside a request or state object: Gemini `contents`, LangGraph `messages`. */
function messageList(value: unknown): unknown[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const v = value as { contents?: unknown; messages?: unknown }
  const list = Array.isArray(v.contents) ? v.contents : v.messages
  return Array.isArray(list) ? list : undefined
}

/** Text out of the shapes captured content comes in: plain text, OTel/OpenAI messages, `{text}`. */
export function contentText(raw: string, role?: 'user' | 'assistant'): string {
  if (!raw) return ''
  let value = parseJsonText(raw)
  if (value === NOT_JSON) return raw
  // A Gemini request (`{model, contents, config}`) or a LangGraph state (`{messages}`) is read as its conversation.
  value = messageList(value) ?? value
  const partText = (part: unknown): string => {
    if (typeof part === 'string') return part
    if (part && typeof part === 'object') {
      const p = part as Record<string, unknown>
      if (typeof p.content === 'string') return p.content
      if (typeof p.text === 'string') return p.text
      if (Array.isArray(p.parts)) return p.parts.map(partText).filter(Boolean).join('\n')
      if (Array.isArray(p.content)) return p.content.map(partText).filter(Boolean).join('\n')
      // A Gemini response (`{content: {role, parts}, usageMetadata}`), a LangChain message's `kwargs`.
      if (p.content && typeof p.content === 'object') return partText(p.content)
      if (p.lc === 1 && p.kwargs && typeof p.kwargs === 'object') return partText(p.kwargs)
    }
    return ''
  }
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const messages = role
      ? value.filter((m) => !m || typeof m !== 'object' || roleOf(m) === undefined || hasRole(m, role))
      : value
    // The user's last words: a Gemini user turn may hold only function responses, no text.
    const texts = messages.map(partText).filter(Boolean)
    const text = (role === 'user' ? texts.slice(-1) : texts).join('\n')
    return text || raw
  }
  return partText(value) || raw
}

/** At most `max` characters of readable text, on one line: what lists show of an input or output. */
export function previewText(raw: string, role?: 'user' | 'assistant', max = 240): string {
  if (!raw) return ''
  return oneLine(contentText(raw, role), max)
}

/** What `\s` matches in a regular expression, by UTF-16 code unit. */
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d)
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  )
}

/**
 * `text` with each whitespace run as one space, trimmed, cut to `max` characters with an ellipsis.
 * Reads only as much of the text as the preview needs (an output can be many kilobytes, the
 * preview is 240 characters), without a regular expression: a replace over a prefix cost ~4 µs a span
 * at ingest, a tenth of the normaliser's time (CPU profile, BENCHMARKS.md), and building the line
 * word by word ~3 KB of garbage a span, hence the slice when there is nothing to collapse.
 */
function oneLine(text: string, max: number): string {
  // Most text needs nothing collapsed where the preview ends: then the preview is a slice of it.
  const shown = Math.min(text.length, max + 1)
  let at = 0
  while (at < shown && !needsCollapse(text, at)) at++
  if (at === shown) return text.length <= max ? text : `${text.slice(0, max - 1)}…`
  return collapsed(text, max)
}

/** A whitespace character other than one space between two non-whitespace ones (or at the very start). */
function needsCollapse(text: string, at: number): boolean {
  const code = text.charCodeAt(at)
  if (!isWhitespace(code)) return false
  return code !== 0x20 || at === 0 || at + 1 === text.length || isWhitespace(text.charCodeAt(at + 1))
}

function collapsed(text: string, max: number): string {
  let line = ''
  let at = 0
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at++
  while (at < text.length) {
    // A word never needs more than what would take the line past `max`.
    const stop = Math.min(text.length, at + max + 1 - line.length)
    let end = at
    while (end < stop && !isWhitespace(text.charCodeAt(end))) end++
    line += text.slice(at, end)
    if (line.length > max) return `${line.slice(0, max - 1)}…`
    at = end
    while (at < text.length && isWhitespace(text.charCodeAt(at))) at++
    if (at < text.length) line += ' '
  }
  return line
}
