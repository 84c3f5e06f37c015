/** The explorer's "Review these…": a review queue from the current filters and range. */
import { useState } from 'react'
import { useLocation } from 'wouter'
import { useQuery } from '../../api/use-query'
import { toListParams, type ExplorerQuery } from '../explorer/explorer-url'
import { scoresApi } from '../scores/scores-api'
import { TRACE_FILTER_KEYS, type TraceFilter } from '@sightline/schema'
import { reviewApi } from './review-api'

export function CreateQueueButton({ q }: { q: ExplorerQuery }) {
  const [isOpen, setOpen] = useState(false)
  return (
    <span className="picker">
      <button className="btn" aria-expanded={isOpen} onClick={() => setOpen((o) => !o)}>
        Review these…
      </button>
      {isOpen && <QueueForm q={q} onClose={() => setOpen(false)} />}
    </span>
  )
}

function QueueForm({ q, onClose }: { q: ExplorerQuery; onClose: () => void }) {
  const [, navigate] = useLocation()
  const configs = useQuery('score-configs', (signal) => scoresApi.configs(signal))
  const [name, setName] = useState(`Review ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`)
  const [picked, setPicked] = useState<string[] | null>(null)
  const [limit, setLimit] = useState(50)
  const [error, setError] = useState('')
  const names = picked ?? configs.data?.map((c) => c.name) ?? []
  const create = async () => {
    setError('')
    const params = toListParams(q)
    const filter: TraceFilter = Object.fromEntries(
      TRACE_FILTER_KEYS.flatMap((k) => (params[k] ? [[k, params[k]]] : [])),
    )
    try {
      const queue = await reviewApi.create({ name, filter, from: params.from, to: params.to, scoreNames: names, limit })
      navigate(`/review/${queue.id}`)
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div
      className="picker-menu queue-form"
      role="dialog"
      aria-label="New review queue"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <label className="small">
        Queue name <input autoFocus value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <span className="small muted">Score against</span>
      {configs.isLoading && <span className="small muted">Loading score configs…</span>}
      {configs.error && (
        <span className="form-error">
          Score configs did not load ({configs.error.message}).{' '}
          <button type="button" className="btn" onClick={configs.reload}>
            Retry
          </button>
        </span>
      )}
      {configs.data?.length === 0 && (
        <span className="small">
          No score configs yet: <a href="/review/configs">create one</a>.
        </span>
      )}
      {configs.data?.map((c) => (
        <label key={c.name} className="picker-option">
          <input
            type="checkbox"
            checked={names.includes(c.name)}
            onChange={(e) => setPicked(e.target.checked ? [...names, c.name] : names.filter((n) => n !== c.name))}
          />
          {c.name} <span className="muted small">{c.dataType}</span>
        </label>
      ))}
      <label className="small">
        At most{' '}
        <input type="number" min={1} max={500} value={limit} onChange={(e) => setLimit(Number(e.target.value))} />{' '}
        traces (newest first)
      </label>
      {error && <div className="form-error">{error}</div>}
      <button className="btn primary" disabled={!name || names.length === 0} onClick={() => void create()}>
        Build queue
      </button>
    </div>
  )
}
