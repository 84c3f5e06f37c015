/** `/quarantine?from=&to=`: this project's spans the store refused, by reason, and the latest ids. */
import { useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { quarantineApi } from './quarantine-api'

export default function QuarantinePage() {
  const params = new URLSearchParams(useSearch())
  const range = { from: params.get('from') ?? undefined, to: params.get('to') ?? undefined }
  const summary = useQuery(`quarantine-page:${range.from ?? ''}|${range.to ?? ''}`, (signal) =>
    quarantineApi.get(range, signal),
  )
  return (
    <div className="page">
      <div className="page-head">
        <h1>Quarantined spans</h1>
        {summary.data && (
          <span className="muted small">
            {new Date(summary.data.from).toLocaleString()} – {new Date(summary.data.to).toLocaleString()}
          </span>
        )}
      </div>
      <p className="muted">
        Spans the server acknowledged but the store refused. They are kept on the server's disk under
        <code> spool/quarantine/&lt;project&gt;/</code> with the reason, and are missing from traces and charts.
      </p>
      {summary.error ? (
        <ErrorState error={summary.error} onRetry={summary.reload} />
      ) : !summary.data ? (
        <Loading label="Loading quarantined spans…" />
      ) : summary.data.total === 0 ? (
        <Empty title="No quarantined spans">Nothing was refused by the store in this period.</Empty>
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>Reason</th>
                <th>Spans</th>
                <th>Last</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.byReason.map((r) => (
                <tr key={r.reason}>
                  <td>
                    <code>{r.reason}</code>
                  </td>
                  <td>{r.spans}</td>
                  <td>{new Date(r.lastAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Most recent</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>Trace</th>
                <th>Span</th>
                <th>Reason</th>
                <th>Quarantined</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.recent.map((s) => (
                <tr key={`${s.traceId}/${s.spanId}`}>
                  <td>
                    {s.traceId ? (
                      <a href={`/traces/${s.traceId}`}>
                        <code>{s.traceId}</code>
                      </a>
                    ) : (
                      <span className="muted">unknown</span>
                    )}
                  </td>
                  <td>
                    <code>{s.spanId || '—'}</code>
                  </td>
                  <td>
                    <code>{s.reason}</code>
                  </td>
                  <td>{new Date(s.quarantinedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}
