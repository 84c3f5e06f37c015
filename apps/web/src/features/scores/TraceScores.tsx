/** The trace header's scores: every score on the trace and its spans, with its source. */
import { useQuery } from '../../api/use-query'
import { ScoreList } from './ScoreChips'
import { scoresApi } from './scores-api'

export function TraceScores({ traceId }: { traceId: string }) {
  const scores = useQuery(`trace-scores:${traceId}`, (signal) => scoresApi.list({ traceId, limit: 200 }, signal))
  if (!scores.data?.length) return null
  const traceLevel = scores.data.filter((s) => !s.spanId)
  const onSpans = scores.data.length - traceLevel.length
  return (
    <section className="trace-scores" aria-label="Trace scores">
      <h3>Scores</h3>
      <ScoreList scores={traceLevel} empty="" />
      {onSpans > 0 && <span className="muted small">+ {onSpans} on spans (select a span)</span>}
    </section>
  )
}

/** The inspector's scores of one span. */
export function SpanScores({ traceId, spanId }: { traceId: string; spanId: string }) {
  const scores = useQuery(`span-scores:${traceId}:${spanId}`, (signal) =>
    scoresApi.list({ traceId, spanId, limit: 100 }, signal),
  )
  if (!scores.data?.length) return null
  return (
    <details className="section" open>
      <summary>
        <h3>Scores ({scores.data.length})</h3>
      </summary>
      <ScoreList scores={scores.data} />
    </details>
  )
}
