import type { ScoreBrief, TraceSort, TraceSummary } from '@sightline/schema'
import { ScoreBriefChips } from '../scores/ScoreChips'
import { Link } from 'wouter'
import { StatusPill } from '../../components/StatusPill'
import { formatCost, formatDuration, formatTimestamp, formatTokens } from '../../lib/format'
import { useCompareSelectionStore } from '../../stores/compare-selection-store'
import type { ExplorerQuery } from './explorer-url'

const COLUMNS: Array<{ label: string; sort?: TraceSort; className?: string }> = [
  { label: '' },
  { label: 'Name' },
  { label: 'Agents' },
  { label: 'Status' },
  { label: 'Duration', sort: 'durationMs', className: 'num' },
  { label: 'Spans', sort: 'spanCount', className: 'num' },
  { label: 'Tokens', sort: 'totalTokens', className: 'num' },
  { label: 'Cost', sort: 'costUsd', className: 'num' },
  { label: 'Scores' },
  { label: 'Release' },
  { label: 'Session' },
  { label: 'Started', sort: 'startTime' },
]

export function TraceTable({ traces, q, onSort, newIds, scores = {} }: { traces: TraceSummary[]; q: ExplorerQuery; onSort: (s: TraceSort) => void; newIds: ReadonlySet<string>; scores?: Record<string, ScoreBrief[]> }) {
  const selected = useCompareSelectionStore((s) => s.traceIds)
  const toggle = useCompareSelectionStore((s) => s.toggleTrace)
  return (
    <table className="grid traces">
      <thead>
        <tr>
          {COLUMNS.map((c, i) => (
            <th key={i} className={c.className} aria-sort={c.sort && q.sort === c.sort ? (q.order === 'asc' ? 'ascending' : 'descending') : undefined}>
              {c.sort ? (
                <button className="sort" onClick={() => onSort(c.sort!)}>
                  {c.label} {q.sort === c.sort ? (q.order === 'asc' ? '▲' : '▼') : <span className="muted">↕</span>}
                </button>
              ) : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {traces.map((t) => (
          <tr key={t.traceId} className={newIds.has(t.traceId) ? 'fresh' : undefined} data-trace-id={t.traceId}>
            <td><input type="checkbox" aria-label={`Select ${t.name} for comparison`} checked={selected.includes(t.traceId)} onChange={() => toggle(t.traceId)} /></td>
            <td className="name-cell">
              <Link href={`/traces/${t.traceId}`} className="trace-link">{t.name || '(unnamed)'}</Link>
              <div className="muted mono small">{t.traceId.slice(0, 16)} · {t.serviceNames.join(', ')}</div>
            </td>
            <td>{t.agents.map((a) => <span key={a} className="tag">{a}</span>)}</td>
            <td><StatusPill status={t.status} />{t.errorCount > 0 && <span className="muted small"> {t.errorCount} err</span>}</td>
            <td className="num">{formatDuration(t.durationMs)}</td>
            <td className="num">{t.spanCount.toLocaleString('en-US')}</td>
            <td className="num" title={`in ${t.inputTokens} (cached ${t.cachedInputTokens}) · out ${t.outputTokens} (reasoning ${t.reasoningTokens})`}>{formatTokens(t.inputTokens + t.outputTokens)}</td>
            <td className="num" title={t.unpricedLlmCalls ? `${t.unpricedLlmCalls} LLM calls could not be priced` : undefined}>{formatCost(t.costUsd)}{t.unpricedLlmCalls > 0 && t.costUsd !== null ? '+' : ''}</td>
            <td><ScoreBriefChips briefs={scores[t.traceId]} /></td>
            <td>{t.releases.join(', ') || <span className="muted">—</span>}</td>
            <td>{t.sessionId ? <Link href={`/sessions/${encodeURIComponent(t.sessionId)}`} className="mono small" title={t.sessionId}>{t.sessionId.slice(0, 18)}</Link> : <span className="muted">—</span>}</td>
            <td className="nowrap">{formatTimestamp(t.startTime)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
