/** The resolved story of a trace as the list, the trace view and sessions show it: outcome, reason, tags. */
import type { TraceOutcome, TraceSummary, TraceTag } from '@sightline/schema'
import { Link } from 'wouter'
import { traceHref } from '../lib/trace-url'
import { OUTCOME_TITLES, outcomeReason, TAG_LABELS } from './trace-story'

export function OutcomePill({ outcome }: { outcome: TraceOutcome }) {
  return (
    <span className={`pill outcome-${outcome}`} data-outcome={outcome} title={OUTCOME_TITLES[outcome]}>
      {outcome}
    </span>
  )
}

/**
 * The failure reason (failed), the first error (recovered) or "still running", as a link that opens
 * the trace at the span it is about (on the trace's own page: selects that span).
 */
export function OutcomeReasonText({
  trace,
}: {
  trace: Pick<TraceSummary, 'traceId' | 'outcome' | 'failureReason' | 'failureSpanId' | 'firstError'>
}) {
  const reason = outcomeReason(trace)
  if (!reason.text) return null
  const className = `outcome-reason ${trace.outcome}`
  if (!reason.spanId) return <span className={className}>{reason.text}</span>
  return (
    <Link
      href={traceHref(trace.traceId, { spanId: reason.spanId })}
      className={className}
      title="Open the trace at this span"
    >
      {reason.text}
    </Link>
  )
}

export function TagChips({ tags }: { tags: readonly TraceTag[] }) {
  if (tags.length === 0) return null
  return (
    <span className="story-tags">
      {tags.map((t) => (
        <span key={t} className={`tag story-tag t-${t}`} title={TAG_LABELS[t].title}>
          {TAG_LABELS[t].label}
        </span>
      ))}
    </span>
  )
}
