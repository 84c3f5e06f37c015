/** `/sessions/:id` and `/users/:id`: the traces of a session (or user) in time order, as a conversation. */
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { OutcomePill, OutcomeReasonText } from '../../components/TraceStory'
import { traceTitle } from '../../components/trace-story'
import { formatCost, formatDuration, formatTimestamp, formatTokens } from '../../lib/format'
import { Message } from '../trace/Conversation'
import { parseMessages } from '../trace/messages'
import { loadSessionTurns, MAX_TURNS, type Turn } from './load-session'

export default function SessionPage({ kind, id }: { kind: 'session' | 'user'; id: string }) {
  const result = useQuery(`${kind}:${id}`, (signal) => loadSessionTurns(kind, id, signal))
  const turns = result.data?.turns ?? []
  const totalCost = turns.reduce((s, t) => s + (t.trace.costUsd ?? 0), 0)
  return (
    <div className="page session-page">
      <div className="page-head">
        <Link href="/traces" className="muted">
          Traces
        </Link>
        <span className="muted">/</span>
        <h1>
          {kind === 'session' ? 'Session' : 'User'} <span className="mono">{id}</span>
        </h1>
        <span className="spacer" />
        <Link
          href={`/traces?${kind === 'session' ? 'sessionId' : 'userId'}=${encodeURIComponent(id)}&range=30d`}
          className="btn ghost"
        >
          Open in explorer
        </Link>
      </div>
      {result.error ? (
        <ErrorState error={result.error} onRetry={result.reload} />
      ) : result.isLoading ? (
        <Loading label="Loading conversation…" />
      ) : turns.length === 0 ? (
        <Empty title={`No traces for this ${kind} in the last 90 days`} />
      ) : (
        <>
          <div className="muted small session-meta">
            {turns.length} turns · {formatCost(totalCost)} ·{' '}
            {formatTokens(turns.reduce((s, t) => s + t.trace.inputTokens + t.trace.outputTokens, 0))} tokens
            {result.data?.isTruncated && ` · showing the first ${MAX_TURNS}`}
          </div>
          <ol className="turns">
            {turns.map((t, i) => (
              <TurnView key={t.trace.traceId} turn={t} index={i} />
            ))}
          </ol>
        </>
      )}
    </div>
  )
}

function TurnView({ turn, index }: { turn: Turn; index: number }) {
  const { trace } = turn
  const input = parseMessages(turn.input, 'user').filter((m) => m.role !== 'system')
  const output = parseMessages(turn.output, 'assistant')
  return (
    <li className="turn">
      <div className="turn-head">
        <span className="turn-index">#{index + 1}</span>
        <Link href={`/traces/${trace.traceId}`} className="trace-link">
          {traceTitle(trace)}
        </Link>
        <OutcomePill outcome={trace.outcome} />
        <OutcomeReasonText trace={trace} />
        {trace.userId && (
          <Link href={`/users/${encodeURIComponent(trace.userId)}`} className="small">
            user {trace.userId}
          </Link>
        )}
        <span className="muted small">
          {formatTimestamp(trace.startTime)} · {formatDuration(trace.durationMs)} · {trace.llmCallCount} LLM ·{' '}
          {trace.toolCallCount} tools · {formatCost(trace.costUsd)}
        </span>
      </div>
      {turn.error && <div className="form-error">Could not load this turn: {turn.error}</div>}
      <div className="conversation">
        {input.map((m, i) => (
          <Message key={`i${i}`} message={m} />
        ))}
        {output.map((m, i) => (
          <Message key={`o${i}`} message={m} />
        ))}
        {input.length + output.length === 0 && !turn.error && (
          <p className="muted small">This trace recorded no input or output.</p>
        )}
      </div>
    </li>
  )
}
