/** One incident in the feed: what, how big, since when, its state, the traces behind it, and the actions. */
import type { Incident } from '@sightline/schema'
import { Link } from 'wouter'
import { formatRelative, formatTimestamp, shortId } from '../../lib/format'
import { IncidentActions } from './IncidentActions'
import { incidentChartLink, incidentTracesLink, STATUS_LABELS, windowText } from './incident-view'

export function IncidentCard({
  incident: i,
  onChanged,
  showDetailsLink = true,
}: {
  incident: Incident
  onChanged: (incident: Incident) => void
  showDetailsLink?: boolean
}) {
  return (
    <article
      className={`incident ${i.status} ${i.severity}`}
      aria-label={`${i.title}: ${i.explanation}`}
      data-incident-id={i.id}
    >
      <div className="incident-head">
        <span className={`pill sev-${i.severity}`}>{i.severity}</span>
        <span className={`pill status-${i.status}`} data-status={i.status}>
          {STATUS_LABELS[i.status]}
          {i.status === 'snoozed' && i.snoozedUntil ? ` until ${formatTimestamp(i.snoozedUntil)}` : ''}
        </span>
        {i.signal === 'normal' && i.status !== 'resolved' && <span className="pill">recovering</span>}
        <strong className="incident-title">{i.title}</strong>
        <span className="muted small" title={formatTimestamp(i.firstSeenAt)}>
          {windowText(i)} · {formatRelative(i.lastSeenAt)}
        </span>
      </div>
      <p className="incident-explanation">{i.explanation}</p>
      <div className="incident-facts muted small">
        <span>
          {i.traceCount} {i.traceCount === 1 ? 'trace' : 'traces'}
        </span>
        <span>
          {i.findings} {i.findings === 1 ? 'finding' : 'findings'}
        </span>
        {i.resolvedAt && (
          <span>
            resolved {formatTimestamp(i.resolvedAt)}
            {i.resolution === 'recovered' ? ' (back to normal)' : ''}
          </span>
        )}
        {i.acknowledgedAt && i.status === 'acknowledged' && (
          <span>acknowledged {formatRelative(i.acknowledgedAt)}</span>
        )}
      </div>
      <div className="incident-links">
        {showDetailsLink && <Link href={`/anomalies/${i.id}`}>Details</Link>}
        <Link href={incidentTracesLink(i)}>Traces behind it</Link>
        {i.metrics.some((m) => m === 'cost' || m === 'tokens' || m === 'latency_p95' || m === 'error_rate') && (
          <Link href={incidentChartLink(i)}>Show on chart</Link>
        )}
        {i.traceIds.length > 0 && (
          <span className="muted">
            e.g.{' '}
            {i.traceIds.slice(0, 3).map((id) => (
              <Link key={id} href={`/traces/${id}`} className="mono">
                {shortId(id)}{' '}
              </Link>
            ))}
          </span>
        )}
      </div>
      <IncidentActions incident={i} onChanged={onChanged} />
    </article>
  )
}
