/** One anomaly: what, where, since when, how far from normal, status, and links to its traces and chart. */
import type { Anomaly } from '@sightline/schema'
import { Link } from 'wouter'
import { formatRelative, formatTimestamp, shortId } from '../../lib/format'
import { ReviewAnomalyButton } from '../review/ReviewAnomalyButton'
import { chartLink, formatMetricValue, howFar, KIND_LABELS, metricLabel, tracesLink, whereText } from './anomaly-view'

export function AnomalyCard({ anomaly: a }: { anomaly: Anomaly }) {
  const isSeries = a.kind === 'spike' || a.kind === 'level_shift'
  return (
    <article
      className={`anomaly ${a.status === 'resolved' ? 'resolved' : a.severity}`}
      aria-label={`${KIND_LABELS[a.kind]}: ${whereText(a)}`}
      data-anomaly-id={a.id}
    >
      <div className="anomaly-head">
        <span className={a.status === 'open' ? 'pill open' : 'pill'}>{a.status}</span>
        {a.severity === 'critical' && <span className="pill err">critical</span>}
        <strong>{KIND_LABELS[a.kind]}</strong>
        <span>
          in {metricLabel(a)} · {whereText(a)}
        </span>
      </div>
      <dl className="anomaly-figures">
        <div>
          <dt>observed</dt>
          <dd>{formatMetricValue(a, a.observed)}</dd>
        </div>
        <div>
          <dt>expected</dt>
          <dd>{formatMetricValue(a, a.expected)}</dd>
        </div>
        <div>
          <dt>score</dt>
          <dd title={howFar(a)}>{a.score.toFixed(1)}</dd>
        </div>
      </dl>
      <div className="muted">{a.summary}</div>
      <div className="anomaly-links">
        <span className="muted" title={formatTimestamp(a.startedAt)}>
          since {formatTimestamp(a.startedAt)} ({formatRelative(a.startedAt)})
          {a.endedAt ? ` · ended ${formatTimestamp(a.endedAt)}` : ''}
          {isSeries ? ` · ${howFar(a)}` : ''}
        </span>
        <Link href={tracesLink(a)}>
          {a.dimension === 'trace' && a.traceIds.length === 1
            ? `Open trace ${shortId(a.traceIds[0]!)}`
            : 'Traces behind it'}
        </Link>
        {isSeries && <Link href={chartLink(a)}>Show on chart</Link>}
        {a.traceIds.length > 0 && <ReviewAnomalyButton anomalyId={a.id} summary={a.summary} />}
        {a.traceIds.length > 1 && (
          <span className="muted">
            examples:{' '}
            {a.traceIds.slice(0, 3).map((id) => (
              <Link key={id} href={`/traces/${id}`} className="mono">
                {shortId(id)}{' '}
              </Link>
            ))}
          </span>
        )}
      </div>
    </article>
  )
}
