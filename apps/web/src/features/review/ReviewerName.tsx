/** Asks who is reviewing (once per browser): the console signs in with a project key, not as a person. */
import { useState } from 'react'
import { saveReviewer } from './reviewer'

export function ReviewerName({ onDone }: { onDone: (name: string) => void }) {
  const [name, setName] = useState('')
  const done = () => {
    const trimmed = name.trim()
    if (!trimmed) return
    saveReviewer(trimmed)
    onDone(trimmed)
  }
  return (
    <div className="state">
      <strong>Who is reviewing?</strong>
      <div className="muted">Your scores carry this name, so agreement between reviewers can be measured.</div>
      <input
        autoFocus
        aria-label="Reviewer name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && done()}
        placeholder="your name"
      />
    </div>
  )
}
