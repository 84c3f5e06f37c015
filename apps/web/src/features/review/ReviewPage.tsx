/**
 * `/review/:queueId?item=N`: a reviewer works through a queue with the keyboard only (keys in
 * review-keys.ts, legend on screen). Scores are saved per trace; progress and agreement between
 * reviewers update as they go.
 */
import type { ScoreValue } from '@sightline/schema'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useLocation, useSearch } from 'wouter'
import { api } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { scoresApi } from '../scores/scores-api'
import '../scores/scores.css'
import { AgreementTable } from './AgreementTable'
import { reviewApi } from './review-api'
import { keyAction, nextPosition } from './review-keys'
import { ReviewerName } from './ReviewerName'
import { loadReviewer } from './reviewer'
import { ReviewItemView } from './ReviewItemView'
import { ScoreForm } from './ScoreForm'
import './review.css'

export default function ReviewPage({ queueId }: { queueId: string }) {
  const [, navigate] = useLocation()
  const search = new URLSearchParams(useSearch())
  const [reviewer, setReviewer] = useState(loadReviewer)
  const [nonce, setNonce] = useState(0)
  const queue = useQuery(`queue:${queueId}:${nonce}`, (signal) => reviewApi.get(queueId, signal))
  const configs = useQuery('score-configs', (signal) => scoresApi.configs(signal))
  const items = queue.data?.items ?? []
  const mine = useMemo(
    () => new Set(items.filter((i) => i.reviews.some((r) => r.author === reviewer)).map((i) => i.position)),
    [items, reviewer],
  )
  const requested = Number(search.get('item'))
  const position = items.some((i) => i.position === requested)
    ? requested
    : ((items.find((i) => !mine.has(i.position)) ?? items[0])?.position ?? 0)
  const item = items.find((i) => i.position === position)
  const fields = useMemo(
    () => (queue.data?.queue.scoreNames ?? []).flatMap((n) => configs.data?.filter((c) => c.name === n) ?? []),
    [queue.data, configs.data],
  )
  const trace = useQuery(item ? `review-trace:${item.traceId}` : null, (signal) => api.getTrace(item!.traceId, signal))
  const [draft, setDraft] = useState<Record<string, ScoreValue>>({})
  const [comment, setComment] = useState('')
  const [activeField, setActiveField] = useState(0)
  const [step, setStep] = useState(0)
  const [message, setMessage] = useState('')
  const commentRef = useRef<HTMLTextAreaElement>(null)

  // A new item (or reviewer): start from this reviewer's earlier review of it, if any.
  useEffect(() => {
    const earlier = item?.reviews.find((r) => r.author === reviewer)
    setDraft(earlier ? { ...earlier.scores } : {})
    setComment(earlier?.comment ?? '')
    setActiveField(0)
    setStep(0)
  }, [item?.traceId, reviewer, item?.reviews])

  const go = useCallback(
    (p: number | null) =>
      p === null ? setMessage('That was the last trace of the queue.') : navigate(`/review/${queueId}?item=${p}`),
    [navigate, queueId],
  )

  const submit = useCallback(async () => {
    if (!item) return
    const missing = fields.filter((f) => draft[f.name] === undefined).map((f) => f.name)
    if (missing.length) return setMessage(`Score ${missing.join(', ')} first.`)
    try {
      await reviewApi.submit(queueId, item.position, {
        author: reviewer,
        scores: fields.map((f) => ({ name: f.name, value: draft[f.name]! })),
        comment,
      })
      setMessage(`Saved trace ${item.position + 1}.`)
      setNonce((n) => n + 1)
      go(
        nextPosition(
          items.map((i) => i.position),
          new Set([...mine, item.position]),
          item.position,
        ),
      )
    } catch (err) {
      setMessage((err as Error).message)
    }
  }, [item, fields, draft, queueId, reviewer, comment, go, items, mine])

  useEffect(() => {
    if (!reviewer || !item) return
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null
      if (
        e.altKey ||
        e.ctrlKey ||
        e.metaKey ||
        target?.tagName === 'TEXTAREA' ||
        target?.tagName === 'INPUT' ||
        target?.tagName === 'SELECT'
      )
        return
      const action = keyAction(e.key, fields, activeField)
      if (!action) return
      e.preventDefault()
      const positions = items.map((i) => i.position)
      const index = positions.indexOf(position)
      switch (action.type) {
        case 'item':
          return go(positions[index + action.delta] ?? null)
        case 'field':
          return setActiveField((f) => Math.max(0, Math.min(fields.length - 1, f + action.delta)))
        case 'value':
          setDraft((d) => ({ ...d, [action.name]: action.value }))
          return setActiveField((f) => Math.min(fields.length - 1, f + 1))
        case 'submit':
          return void submit()
        case 'comment':
          return commentRef.current?.focus()
        case 'step':
          return setStep((s) => Math.max(0, s + action.delta))
        case 'reference':
          return void reviewApi.saveReference(item.traceId, `${item.name || 'trace'} (reviewed)`).then(
            (r) => setMessage(`Saved as reference trajectory ${r.id}.`),
            (err: Error) => setMessage(err.message),
          )
        case 'export':
          return navigate(`/traces/${item.traceId}/regression`)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [reviewer, item, fields, activeField, items, position, go, submit, navigate])

  if (queue.error)
    return (
      <div className="page">
        <ErrorState error={queue.error} onRetry={queue.reload} />
      </div>
    )
  if (!queue.data || !configs.data)
    return (
      <div className="page">
        <Loading label="Loading the queue…" />
      </div>
    )
  if (!reviewer)
    return (
      <div className="page">
        <ReviewerName onDone={setReviewer} />
      </div>
    )
  const { progress } = queue.data
  const myCount = progress.byReviewer.find((r) => r.author === reviewer)?.reviewed ?? 0
  return (
    <div className="page review-page">
      <div className="page-head">
        <h1>{queue.data.queue.name}</h1>
        <span className="muted" data-testid="review-progress">
          {myCount} / {progress.total} reviewed by you · {progress.reviewed} / {progress.total} by anyone
        </span>
        <progress max={progress.total} value={myCount} aria-label="Your progress" />
        <span className="spacer" />
        <span className="muted small">
          reviewing as <strong>{reviewer}</strong>
        </span>
        <button className="btn ghost small" onClick={() => setReviewer('')}>
          change
        </button>
      </div>
      <div className="review-keys muted small" aria-label="Keys">
        j / → next · k / ← previous · ↓ ↑ score · keys shown per score · Enter save and next · c comment · [ ] steps · r
        save as reference · x export as regression case
      </div>
      {message && (
        <div className="review-message" role="status">
          {message}
        </div>
      )}
      <div className="review-layout">
        <ol className="review-queue" aria-label="Traces in the queue">
          {items.map((i) => (
            <li
              key={i.position}
              className={i.position === position ? 'current' : ''}
              aria-current={i.position === position}
            >
              <span>{mine.has(i.position) ? '✓' : '·'}</span> {i.position + 1}. {i.name || i.traceId.slice(0, 8)}
            </li>
          ))}
        </ol>
        <div className="review-main">
          {trace.error ? (
            <ErrorState error={trace.error} />
          ) : trace.data ? (
            <ReviewItemView detail={trace.data} selectedStep={step} />
          ) : (
            <Loading label="Loading the trace…" />
          )}
        </div>
        <ScoreForm
          ref={commentRef}
          fields={fields}
          draft={draft}
          activeField={activeField}
          comment={comment}
          onComment={setComment}
          onPick={setActiveField}
        />
      </div>
      <AgreementTable agreement={queue.data.agreement} />
    </div>
  )
}
