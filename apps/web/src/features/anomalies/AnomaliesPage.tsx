/** `/anomalies?kind=&status=`: the anomaly feed (last 7 days) with filters, and the webhook settings. */
import { AnomalyKindSchema } from '@sightline/schema'
import { useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import '../dashboards/dashboards.css'
import { anomalyApi } from './anomaly-api'
import { AnomalyCard } from './AnomalyCard'
import { KIND_LABELS } from './anomaly-view'
import { WebhookPanel } from './WebhookPanel'

export default function AnomaliesPage() {
  const params = new URLSearchParams(useSearch())
  const [, navigate] = useLocation()
  const kind = AnomalyKindSchema.safeParse(params.get('kind')).data ?? ''
  const status = params.get('status') === 'open' || params.get('status') === 'resolved' ? params.get('status')! : ''
  const setFilter = (key: 'kind' | 'status', value: string) => {
    const next = new URLSearchParams({ kind, status, [key]: value })
    for (const k of ['kind', 'status']) if (!next.get(k)) next.delete(k)
    const text = next.toString()
    navigate(text ? `/anomalies?${text}` : '/anomalies')
  }
  const feed = useQuery(`anomalies:${kind}|${status}`, (signal) => anomalyApi.list({ kind: kind || undefined, status: status || undefined, limit: 200 }, signal))
  const anomalies = feed.data?.anomalies ?? []
  return (
    <div className="page anomalies">
      <div className="page-head">
        <h1>Anomalies</h1>
        <span className="muted">{feed.data ? `${anomalies.length} in the last 7 days` : ''}</span>
        <span className="spacer" />
        <div className="anomaly-filters">
          <select aria-label="Kind" value={kind} onChange={(e) => setFilter('kind', e.target.value)}>
            <option value="">All kinds</option>
            {AnomalyKindSchema.options.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
          </select>
          <select aria-label="Status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Open and resolved</option>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
          </select>
          <button className="btn" onClick={feed.reload}>Refresh</button>
        </div>
      </div>
      <div className="anomalies-layout">
      <div>
      {feed.error ? (
        <ErrorState error={feed.error} onRetry={feed.reload} />
      ) : !feed.data ? (
        <Loading label="Loading anomalies…" />
      ) : anomalies.length === 0 ? (
        <Empty title="No anomalies">{kind || status ? 'Nothing matches these filters.' : 'Nothing unusual in the last 7 days. Series detectors need a day of history before they alert.'}</Empty>
      ) : (
        <div className="anomaly-list">{anomalies.map((a) => <AnomalyCard key={a.id} anomaly={a} />)}</div>
      )}
      </div>
      <WebhookPanel />
      </div>
    </div>
  )
}
