/** The explorer's score filter: `user_feedback=false`, `judge_helpful<0.5`, or a bare name. */
import { useEffect, useState } from 'react'
import { parseScoreFilterText } from './score-format'

const SCORE_FILTER_HELP =
  'A score name, optionally with = != > >= < <= and a value: user_feedback=false, judge_helpful<0.5, tone=rude'

export function ScoreFilterInput({ value, onCommit }: { value: string; onCommit: (score: string) => void }) {
  const [draft, setDraft] = useState(value)
  useEffect(() => setDraft(value), [value])
  const parsed = parseScoreFilterText(draft)
  const commit = () => parsed !== null && parsed !== value && onCommit(parsed)
  return (
    <input
      className={parsed === null ? 'narrow invalid' : 'narrow'}
      placeholder="Score, e.g. user_feedback=false"
      aria-label="Score filter"
      title={SCORE_FILTER_HELP}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  )
}
