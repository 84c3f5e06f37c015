import type { ScoreBrief, TraceSort, TraceSummary } from '@sightline/schema'
import { ScoreBriefChips } from '../scores/ScoreChips'
import { Link } from 'wouter'
import { OutcomePill, OutcomeReasonText, TagChips } from '../../components/TraceStory'
import { traceTitle } from '../../components/trace-story'
import { formatCost, formatDuration, formatTimestamp, formatTokens } from '../../lib/format'
import { useCompareSelectionStore } from '../../stores/compare-selection-store'
import type { ExplorerQuery } from './explorer-url'

const COLUMNS: Array<{ label: string; sort?: TraceSort; className?: string }> = [
  { label: '' },
  { label: 'Trace' },
  { label: 'Outcome' },
  { label: 'Agents' },
  { label: 'Duration', sort: 'durationMs', className: 'num' },
  { label: 'Cost', sort: 'costUsd', className: 'num' },
  { label: 'Tokens', sort: 'totalTokens', className: 'num' },
  { label: 'Spans', sort: 'spanCount', className: 'num' },
  { label: 'Scores' },
  { label: 'Release' },
  { label: 'Session' },
  { label: 'Started', sort: 'startTime' },
]

export function TraceTable({
  traces,
  q,
  onSort,
  newIds,
  scores = {},
}: {
  traces: TraceSummary[]
  q: ExplorerQuery
  onSort: (s: TraceSort) => void
  newIds: ReadonlySet<string>
  scores?: Record<string, ScoreBrief[]>
}) {
  const selected = useCompareSelectionStore((s) => s.traceIds)
  const toggle = useCompareSelectionStore((s) => s.toggleTrace)
  return (
    <table className="grid traces">
      <thead>
        <tr>
          {COLUMNS.map((c, i) => (
            <th
              key={i}
              className={c.className}
              aria-sort={c.sort && q.sort === c.sort ? (q.order === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.sort ? (
                <button className="sort" onClick={() => onSort(c.sort!)}>
                  {c.label} {q.sort === c.sort ? q.order === 'asc' ? '▲' : '▼' : <span className="muted">↕</span>}
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {traces.map((t) => (
          <tr
            key={t.traceId}
            className={newIds.has(t.traceId) ? 'fresh' : undefined}
            data-trace-id={t.traceId}
            data-outcome={t.outcome}
          >
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${traceTitle(t)} for comparison`}
                checked={selected.includes(t.traceId)}
                onChange={() => toggle(t.traceId)}
              />
            </td>
            <td className="story-cell">
              <TraceStoryCell trace={t} />
            </td>
            <td className="outcome-cell">
              <OutcomePill outcome={t.outcome} />
              <div className="small">
                <OutcomeReasonText trace={t} />
              </div>
            </td>
            <td>
              {t.agents.map((a) => (
                <span key={a} className="tag">
                  {a}
                </span>
              ))}
            </td>
            <td className="num">{formatDuration(t.durationMs)}</td>
            <td
              className="num"
              title={t.unpricedLlmCalls ? `${t.unpricedLlmCalls} LLM calls could not be priced` : undefined}
            >
              {formatCost(t.costUsd)}
              {t.unpricedLlmCalls > 0 && t.costUsd !== null ? '+' : ''}
            </td>
            <td
              className="num"
              title={
                `in ${t.inputTokens} (cached ${t.cachedInputTokens}) ` +
                `· out ${t.outputTokens} (reasoning ${t.reasoningTokens})`
              }
            >
              {formatTokens(t.inputTokens + t.outputTokens)}
            </td>
            <td className="num">{t.spanCount.toLocaleString('en-US')}</td>
            <td>
              <ScoreBriefChips briefs={scores[t.traceId]} />
            </td>
            <td>{t.releases.join(', ') || <span className="muted">—</span>}</td>
            <td>
              {t.sessionId ? (
                <Link href={`/sessions/${encodeURIComponent(t.sessionId)}`} className="mono small" title={t.sessionId}>
                  {t.sessionId.slice(0, 18)}
                </Link>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td className="nowrap">{formatTimestamp(t.startTime)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Name, what the trace was asked, its tags; the id and services underneath. */
export function TraceStoryCell({ trace }: { trace: TraceSummary }) {
  return (
    <>
      <div className="story-head">
        <Link href={`/traces/${trace.traceId}`} className="trace-link">
          {traceTitle(trace)}
        </Link>
        {trace.isRegressionRun && (
          <span className="tag" title="Traffic of `sightline regress`, not production">
            regression run
          </span>
        )}
        <TagChips tags={trace.tags} />
      </div>
      {trace.inputPreview && (
        <div className="story-input" title={trace.inputPreview}>
          {trace.inputPreview}
        </div>
      )}
      <div className="muted mono small">
        {trace.traceId.slice(0, 16)} · {trace.serviceNames.join(', ')}
      </div>
    </>
  )
}
