/**
 * @module content/content-text
 * Readable text out of the shapes captured content comes in (plain text, OTel/OpenAI message lists,
 * `{text}` parts, Gemini `parts`): what previews, the regression proposal and the runner show.
 */
/** Text out of the shapes captured content comes in: plain text, OTel/OpenAI messages, `{text}`. */
export function contentText(raw: string, role?: 'user' | 'assistant'): string {
  if (!raw) return ''
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return raw
  }
  const partText = (part: unknown): string => {
    if (typeof part === 'string') return part
    if (part && typeof part === 'object') {
      const p = part as Record<string, unknown>
      if (typeof p.content === 'string') return p.content
      if (typeof p.text === 'string') return p.text
      if (Array.isArray(p.parts)) return p.parts.map(partText).filter(Boolean).join('\n')
      if (Array.isArray(p.content)) return p.content.map(partText).filter(Boolean).join('\n')
    }
    return ''
  }
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const messages = role ? value.filter((m) => !(m && typeof m === 'object' && 'role' in m) || (m as { role: unknown }).role === role) : value
    const pick = role === 'user' ? messages.slice(-1) : messages
    const text = pick.map(partText).filter(Boolean).join('\n')
    return text || raw
  }
  return partText(value) || raw
}

/** At most `max` characters of readable text, on one line: what lists show of an input or output. */
export function previewText(raw: string, role?: 'user' | 'assistant', max = 240): string {
  if (!raw) return ''
  const text = contentText(raw, role).replace(/\s+/g, ' ').trim()
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
