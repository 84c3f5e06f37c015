/** `/anomalies/:id`: one incident, its actions, the traces behind it and the findings it groups. */
import { useState } from 'react'
import type { GetIncidentResponse, Incident } from '@sightline/schema'
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import '../dashboards/dashboards.css'
import './incidents.css'
import { AnomalyCard } from './AnomalyCard'
import { incidentApi } from './incident-api'
import { IncidentCard } from './IncidentCard'
import { incidentTracesLink } from './incident-view'

export default function IncidentPage({ id }: { id: string }) {
  const query = useQuery(`incident:${id}`, (signal) => incidentApi.get(id, signal))
  const [changed, setChanged] = useState<Incident | undefined>(undefined)
  if (query.error)
    return (
      <div className="page">
        <ErrorState error={query.error} onRetry={query.reload} />
      </div>
    )
  if (!query.data)
    return (
      <div className="page">
        <Loading label="Loading the incident…" />
      </div>
    )
  const data: GetIncidentResponse = query.data
  const incident = changed?.id === id ? changed : data.incident
  return (
    <div className="page incident-page">
      <div className="page-head">
        <Link href="/anomalies">← Incidents</Link>
        <h1>{incident.title}</h1>
      </div>
      <IncidentCard incident={incident} onChanged={setChanged} showDetailsLink={false} />
      <section aria-label="Traces behind it">
        <h3>
          Traces behind it{' '}
          <span className="muted small">({incident.traceCount} in its window; the most telling first)</span>
        </h3>
        {incident.traceIds.length === 0 ? (
          <Empty title="No traces sampled yet" />
        ) : (
          <div className="incident-traces">
            {incident.traceIds.map((traceId) => (
              <Link key={traceId} href={`/traces/${traceId}`} className="mono">
                {traceId}
              </Link>
            ))}
            <Link href={incidentTracesLink(incident)}>all of them in the explorer →</Link>
          </div>
        )}
      </section>
      <section aria-label="Findings">
        <h3>
          Findings <span className="muted small">({incident.findings}; the detector's evidence, newest first)</span>
        </h3>
        <div className="anomaly-list">
          {data.anomalies.map((a) => (
            <AnomalyCard key={a.id} anomaly={a} />
          ))}
        </div>
      </section>
    </div>
  )
}
