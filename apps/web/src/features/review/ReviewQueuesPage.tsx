/** `/review`: the project's review queues with their progress; the rubric lives at `/review/configs`. */
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { formatTimestamp } from '../../lib/format'
import { reviewApi } from './review-api'

export default function ReviewQueuesPage() {
  const queues = useQuery('review-queues', (signal) => reviewApi.list(signal))
  return (
    <div className="page">
      <div className="page-head">
        <h1>Human review</h1>
        <span className="spacer" />
        <Link href="/review/configs" className="btn">
          Score configs (rubric)
        </Link>
      </div>
      <p className="muted small">
        Build a queue from the trace list ("Review these…") or from an anomaly ("Review its traces").
      </p>
      {queues.error ? (
        <ErrorState error={queues.error} onRetry={queues.reload} />
      ) : !queues.data ? (
        <Loading />
      ) : queues.data.queues.length === 0 ? (
        <Empty title="No review queues yet">Filter the trace list, then press “Review these…”.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>Queue</th>
                <th>From</th>
                <th>Scores</th>
                <th className="num">Reviewed</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {queues.data.queues.map((q) => (
                <tr key={q.id}>
                  <td>
                    <Link href={`/review/${q.id}`}>{q.name}</Link>
                  </td>
                  <td>
                    {q.source === 'anomaly'
                      ? `anomaly ${q.anomalyId.slice(0, 8)}`
                      : Object.entries(q.filter)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(' ') || 'all traces'}
                  </td>
                  <td>
                    {q.scoreNames.map((n) => (
                      <span key={n} className="tag">
                        {n}
                      </span>
                    ))}
                  </td>
                  <td className="num">
                    {q.reviewed} / {q.itemCount}
                  </td>
                  <td className="nowrap">{formatTimestamp(q.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
