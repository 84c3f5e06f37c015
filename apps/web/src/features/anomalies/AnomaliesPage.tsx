/**
 * `/anomalies?status=`: the incident feed (last 7 days): open incidents first, then acknowledged,
 * snoozed and resolved, each by severity and recency; acknowledge, snooze, resolve and reopen in
 * place. The webhook settings sit beside it (alerts go out per incident).
 */
import { IncidentStatusSchema, type IncidentStatus } from '@sightline/schema'
import { useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import '../dashboards/dashboards.css'
import './incidents.css'
import { incidentApi } from './incident-api'
import { IncidentCard } from './IncidentCard'
import { STATUS_LABELS } from './incident-view'
import { WebhookPanel } from './WebhookPanel'

/** "active": everything not resolved, the default view. */
const FILTERS: Record<string, readonly IncidentStatus[] | undefined> = {
  active: ['open', 'acknowledged', 'snoozed'],
  all: undefined,
  ...Object.fromEntries(IncidentStatusSchema.options.map((s) => [s, [s] as const])),
}

export default function AnomaliesPage() {
  const params = new URLSearchParams(useSearch())
  const [, navigate] = useLocation()
  const filter = params.get('status') && params.get('status')! in FILTERS ? params.get('status')! : 'active'
  const feed = useQuery(`incidents:${filter}`, (signal) =>
    incidentApi.list({ status: FILTERS[filter], limit: 200 }, signal),
  )
  const incidents = feed.data?.incidents ?? []
  return (
    <div className="page anomalies">
      <div className="page-head">
        <h1>Incidents</h1>
        <span className="muted">{feed.data ? `${incidents.length} in the last 7 days` : ''}</span>
        <span className="spacer" />
        <div className="anomaly-filters">
          <select
            aria-label="Status"
            value={filter}
            onChange={(e) =>
              navigate(e.target.value === 'active' ? '/anomalies' : `/anomalies?status=${e.target.value}`)
            }
          >
            <option value="active">Not resolved</option>
            <option value="all">All</option>
            {IncidentStatusSchema.options.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <button className="btn" onClick={feed.reload}>
            Refresh
          </button>
        </div>
      </div>
      <div className="anomalies-layout">
        <div>
          {feed.error ? (
            <ErrorState error={feed.error} onRetry={feed.reload} />
          ) : !feed.data ? (
            <Loading label="Loading incidents…" />
          ) : incidents.length === 0 ? (
            <Empty title="No incidents">
              {filter !== 'active'
                ? 'Nothing matches this filter.'
                : 'Nothing unusual right now. New series are judged against their last hours from their first ' +
                  'minutes; after a day, against the same time on earlier days.'}
            </Empty>
          ) : (
            <div className="incident-list">
              {incidents.map((i) => (
                <IncidentCard key={i.id} incident={i} onChanged={feed.reload} />
              ))}
            </div>
          )}
        </div>
        <WebhookPanel />
      </div>
    </div>
  )
}
