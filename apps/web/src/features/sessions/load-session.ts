/**
 * Loads one session (or one user's traces) as conversation turns: the traces in time order, and for
 * each the root span in full (its input and output are the turn). When the root carries no messages
 * (many SDKs put them only on model calls), the first and last LLM calls stand in. Requests run a
 * few at a time so a 50-turn session does not open 150 sockets at once.
 */
import type { Span, TraceSummary } from '@sightline/schema'
import { api } from '../../api/client'

export const MAX_TURNS = 50
const CONCURRENCY = 4
/** Sessions can span weeks; the list API defaults to 7 days, so ask for a wide window. */
const LOOKBACK_MS = 90 * 86_400_000

export interface Turn {
  trace: TraceSummary
  input: string
  output: string
  error?: string
}

export async function loadSessionTurns(
  kind: 'session' | 'user',
  id: string,
  signal: AbortSignal,
): Promise<{ turns: Turn[]; isTruncated: boolean }> {
  const now = Date.now()
  const list = await api.listTraces(
    {
      [kind === 'session' ? 'sessionId' : 'userId']: id,
      from: new Date(now - LOOKBACK_MS).toISOString(),
      to: new Date(now + 60_000).toISOString(),
      sort: 'startTime',
      order: 'asc',
      limit: String(MAX_TURNS),
    },
    signal,
  )
  const turns: Turn[] = new Array(list.traces.length)
  let next = 0
  const worker = async () => {
    while (next < list.traces.length) {
      const index = next++
      const trace = list.traces[index]!
      turns[index] = await loadTurn(trace, signal).catch((e: Error) => ({
        trace,
        input: '',
        output: '',
        error: e.message,
      }))
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return { turns, isTruncated: list.nextCursor !== null }
}

async function loadTurn(trace: TraceSummary, signal: AbortSignal): Promise<Turn> {
  const { spans } = await api.getTraceSkeleton(trace.traceId, signal)
  const ids = new Set(spans.map((s) => s.spanId))
  const byStart = (a: Span, b: Span) => a.startTime.localeCompare(b.startTime)
  const root = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId)).sort(byStart)[0]
  if (!root) return { trace, input: '', output: '' }
  const full = await api.getSpan(trace.traceId, root.spanId, signal)
  let { input, output } = full
  if (!input || !output) {
    const llm = spans.filter((s) => s.isLlmCall).sort(byStart)
    if (!input && llm[0]) input = lastUserMessage((await api.getSpan(trace.traceId, llm[0].spanId, signal)).input)
    const last = llm[llm.length - 1]
    if (!output && last) output = (await api.getSpan(trace.traceId, last.spanId, signal)).output
  }
  return { trace, input, output }
}

/** From a model call's full prompt, only the newest user message is this turn's input. */
function lastUserMessage(input: string): string {
  try {
    const parsed: unknown = JSON.parse(input)
    const list = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown[] })?.messages
    if (Array.isArray(list)) {
      const users = list.filter((m) => (m as { role?: string })?.role === 'user')
      if (users.length) return JSON.stringify([users[users.length - 1]])
    }
  } catch {
    // not JSON: the whole text is the input
  }
  return input
}
