/**
 * @module regression/observe-parts
 * How an observed run's pieces are written in the case format: tool arguments as a JSON object, a
 * tool's answer as an MCP `CallToolResult`, and the trace outcome as the case's two-state outcome.
 */
import type { RecordedToolResult, RegressionCase, TraceOutcome } from '@sightline/schema'

export type RunOutcome = RegressionCase['observed']['outcome']

/** Tool arguments as an object: a JSON object as sent, anything else under `value`. */
export function parseArgs(text: string): Record<string, unknown> {
  if (!text) return {}
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value }
  } catch {
    return { value: text }
  }
}

interface ToolSpan {
  toolResult: string
  statusMessage: string
  errorType: string
}

/**
 * What the tool answered, as the replay server will answer it: the counted span's recorded result,
 * else one its chain's other spans recorded (an MCP server end), marked as an error when the call failed.
 */
export function toolResultOf(span: ToolSpan, parts: readonly ToolSpan[], failed: boolean): RecordedToolResult {
  const raw = span.toolResult || parts.find((p) => p.toolResult)?.toolResult || ''
  if (raw) {
    try {
      const value: unknown = JSON.parse(raw)
      if (value && typeof value === 'object' && Array.isArray((value as { content?: unknown }).content)) {
        const v = value as {
          content: { type: string }[]
          isError?: boolean
          structuredContent?: Record<string, unknown>
        }
        return {
          content: v.content,
          isError: v.isError === true || failed,
          ...(v.structuredContent ? { structuredContent: v.structuredContent } : {}),
        }
      }
      return { content: [{ type: 'text', text: typeof value === 'string' ? value : raw }], isError: failed }
    } catch {
      return { content: [{ type: 'text', text: raw }], isError: failed }
    }
  }
  const why = [span, ...parts].find((s) => s.statusMessage || s.errorType)
  const message = why?.statusMessage || why?.errorType || (failed ? 'tool failed' : '')
  return { content: message ? [{ type: 'text', text: message }] : [], isError: failed }
}

/**
 * The trace outcome in the case format, which knows `ok` and `error`: a recovered run ended well
 * (`ok`); a failed one, or one that never finished (its root missing or still open), did not.
 */
export function runOutcomeOf(outcome: TraceOutcome, failureReason: string, errorType: string): RunOutcome {
  if (outcome === 'failed') return { status: 'error', errorType, message: failureReason }
  if (outcome === 'running')
    return {
      status: 'error',
      errorType: 'unfinished',
      message: 'the run never finished: its root span is missing or still open',
    }
  return { status: 'ok', errorType: '', message: '' }
}
