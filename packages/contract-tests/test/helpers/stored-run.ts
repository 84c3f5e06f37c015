/** Everything the public API says about a replayed fixture: the trace list and each trace's spans. */
import type { Span, TraceSummary } from '@sightline/schema'
import type { TestServer } from '@sightline/ingest/testing'
import { getTrace, listTraces } from '@sightline/ingest/testing/query'

export interface StoredRun {
  traces: TraceSummary[]
  spans: Span[]
  /** Spans by id, to walk parents. */
  byId: Map<string, Span>
}

export async function readStoredRun(server: TestServer): Promise<StoredRun> {
  const { traces } = await listTraces(server)
  const spans: Span[] = []
  for (const summary of traces) {
    const detail = await getTrace(server, summary.traceId)
    if (!detail) throw new Error(`trace ${summary.traceId} is listed but not readable`)
    spans.push(...detail.spans)
  }
  return { traces, spans, byId: new Map(spans.map((s) => [s.spanId, s])) }
}

export function ancestors(run: StoredRun, span: Span): Span[] {
  const out: Span[] = []
  for (let parent = run.byId.get(span.parentSpanId); parent; parent = run.byId.get(parent.parentSpanId))
    out.push(parent)
  return out
}

export const sum = (
  traces: readonly TraceSummary[],
  key:
    | 'llmCallCount'
    | 'toolCallCount'
    | 'toolErrorCount'
    | 'inputTokens'
    | 'outputTokens'
    | 'cachedInputTokens'
    | 'reasoningTokens'
    | 'unpricedLlmCalls',
) => traces.reduce((total, t) => total + t[key], 0)

/** A stored tool argument/result string read back as a value (JSON when it parses, else the text). */
export function storedValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
