/**
 * The trace's story at the top of its page: name, outcome and why (a link that selects the span it
 * is about), tags, root agent; the export and session actions.
 */
import type { TraceSummary } from '@sightline/schema'
import { Link } from 'wouter'
import { OutcomePill, OutcomeReasonText, TagChips } from '../../components/TraceStory'
import { traceTitle } from '../../components/trace-story'
import { formatTimestamp } from '../../lib/format'
import { ExportCaseButton } from '../regression/ExportCaseButton'

export function TraceHeader({ trace }: { trace: TraceSummary }) {
  return (
    <>
      <div className="page-head">
        <Link href="/traces" className="muted">
          Traces
        </Link>
        <span className="muted">/</span>
        <h1 title={trace.name}>{traceTitle(trace)}</h1>
        <OutcomePill outcome={trace.outcome} />
        <span className="muted mono small">{trace.traceId}</span>
        <span className="spacer" />
        <ExportCaseButton traceId={trace.traceId} outcome={trace.outcome} />
        {trace.sessionId && (
          <Link href={`/sessions/${encodeURIComponent(trace.sessionId)}`} className="btn ghost">
            Session ↗
          </Link>
        )}
        <span className="muted small">{formatTimestamp(trace.startTime)}</span>
      </div>
      <div className="trace-story" aria-label="Trace story">
        {trace.outcome !== 'ok' && (
          <span className="story-reason">
            <strong>
              {trace.outcome === 'failed' ? 'Failed' : trace.outcome === 'recovered' ? 'Recovered' : 'Running'}:
            </strong>{' '}
            <OutcomeReasonText trace={trace} />
          </span>
        )}
        <TagChips tags={trace.tags} />
        {trace.rootAgent && (
          <span className="muted small">
            root agent <strong>{trace.rootAgent}</strong>
          </span>
        )}
        {trace.isRegressionRun && <span className="tag">regression run</span>}
        {trace.inputPreview && (
          <span className="muted small story-input" title={trace.inputPreview}>
            asked: {trace.inputPreview}
          </span>
        )}
      </div>
    </>
  )
}
