/** Score chips: per-trace summaries in lists, or individual scores with their source in the trace view. */
import type { Score, ScoreBrief } from '@sightline/schema'
import { briefText, briefTone, formatScoreValue, SOURCE_LABELS } from './score-format'
import './scores.css'

export function ScoreBriefChips({ briefs }: { briefs: readonly ScoreBrief[] | undefined }) {
  if (!briefs?.length) return <span className="muted">—</span>
  return (
    <span className="score-chips">
      {briefs.map((b) => (
        <span
          key={b.name}
          className={`score-chip ${briefTone(b)}`}
          title={
            `${b.count} score(s) ` +
            `from ${b.sources.map((s) => SOURCE_LABELS[s]).join(', ')}${
              b.errors ? `; ${b.errors} failed evaluation(s)` : ''
            }`
          }
        >
          {briefText(b)}
        </span>
      ))}
    </span>
  )
}

export function ScoreList({ scores, empty = 'No scores yet.' }: { scores: readonly Score[]; empty?: string }) {
  if (scores.length === 0) return <p className="muted small">{empty}</p>
  return (
    <ul className="score-list">
      {scores.map((s) => (
        <li key={s.id} className={s.error ? 'score-row error' : 'score-row'} title={s.comment || undefined}>
          <strong>{s.name}</strong>
          <span className="score-value">
            {s.error ? `error: ${s.error}` : formatScoreValue(s.value)}
            {s.label && s.dataType === 'numeric' ? ` · ${s.label}` : ''}
          </span>
          <span className="tag">
            {SOURCE_LABELS[s.source]}
            {s.evaluator ? ` ${s.evaluator}` : ''}
            {s.author ? ` · ${s.author}` : ''}
          </span>
          {s.comment && !s.error && <span className="muted small score-comment">{s.comment}</span>}
        </li>
      ))}
    </ul>
  )
}
