/**
 * Captured content: prompts, completions, tool arguments and results. Capture is opt-in because this
 * is where personal data lives; when it is on, every value passes through the configured redactor
 * after serialisation, so a rule sees exactly the text that would be stored.
 */
import type { Span } from '@opentelemetry/api'
import { getConfig } from './state.js'

/** Per-call override first, then the registerSightline() setting. */
function isCaptureEnabled(override: boolean | undefined): boolean {
  return override ?? getConfig().captureContent
}

/** JSON text for structured values, strings as they are (they usually are JSON or prose already). */
function toContentText(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  } catch {
    // Circular structures: instrumentation must never break the agent, a lossy string will do.
    return String(value)
  }
}

export function redactText(text: string): string {
  const { redact } = getConfig()
  return redact ? redact(text) : text
}

/** Writes `value` under `key` only when capture is enabled. */
export function setContent(span: Span, key: string, value: unknown, override: boolean | undefined): void {
  if (!isCaptureEnabled(override)) return
  const text = toContentText(value)
  if (text !== undefined) span.setAttribute(key, redactText(text))
}
