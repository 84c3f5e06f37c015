/** The rubric for one trace: each score config with its keys and the value given; the comment. */
import type { ScoreConfig, ScoreValue } from '@sightline/schema'
import { forwardRef } from 'react'
import { formatScoreValue } from '../scores/score-format'
import { keyLegend } from './reviewer'

interface Props {
  fields: readonly ScoreConfig[]
  draft: Record<string, ScoreValue>
  activeField: number
  comment: string
  onComment: (text: string) => void
  onPick: (index: number) => void
}

export const ScoreForm = forwardRef<HTMLTextAreaElement, Props>(function ScoreForm(
  { fields, draft, activeField, comment, onComment, onPick },
  commentRef,
) {
  return (
    <section className="review-form" aria-label="Scores">
      {fields.map((f, i) => (
        <div
          key={f.name}
          className={i === activeField ? 'review-field active' : 'review-field'}
          aria-current={i === activeField}
          onClick={() => onPick(i)}
        >
          <div>
            <strong>{f.name}</strong> <span className="muted small">{keyLegend(f)}</span>
          </div>
          {f.description && <div className="muted small">{f.description}</div>}
          <div className="review-value" data-score={f.name}>
            {draft[f.name] === undefined ? (
              <span className="muted">press a key</span>
            ) : (
              formatScoreValue(draft[f.name]!)
            )}
          </div>
        </div>
      ))}
      <label className="small">
        Comment (c; Esc to leave)
        <textarea
          ref={commentRef}
          rows={3}
          value={comment}
          onChange={(e) => onComment(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && (e.target as HTMLTextAreaElement).blur()}
        />
      </label>
    </section>
  )
})
