/** The latest runs of one evaluator: trace, status, latency, cost, what went in and what came out. */
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { formatCost, formatDuration, formatTimestamp, shortId } from '../../lib/format'
import { evaluatorsApi } from './evaluators-api'

export function EvaluatorRuns({ id, nonce }: { id: string; nonce: number }) {
  const runs = useQuery(`evaluator-runs:${id}:${nonce}`, (signal) => evaluatorsApi.runs(id, signal))
  if (runs.error) return <ErrorState error={runs.error} />
  if (!runs.data) return <Loading label="Loading runs…" />
  if (runs.data.length === 0)
    return (
      <p className="muted small">No runs yet: traces are evaluated once they match, ended and are in the sample.</p>
    )
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>When</th>
          <th>Trace</th>
          <th>Status</th>
          <th className="num">Latency</th>
          <th className="num">Cost</th>
          <th>Output</th>
          <th>Judge call</th>
        </tr>
      </thead>
      <tbody>
        {runs.data.map((r) => (
          <tr key={r.runId}>
            <td className="nowrap">{formatTimestamp(r.startedAt)}</td>
            <td>
              <Link href={`/traces/${r.traceId}`} className="mono">
                {shortId(r.traceId)}
              </Link>
            </td>
            <td className={r.status === 'ok' ? '' : 'err-text'} title={r.error || undefined}>
              {r.status}
              {r.error ? `: ${r.error.slice(0, 80)}` : ''}
            </td>
            <td className="num">{formatDuration(r.latencyMs)}</td>
            <td className="num">{r.costUsd === null ? '—' : formatCost(r.costUsd)}</td>
            <td title={r.input.slice(0, 2000)}>{r.output.slice(0, 140)}</td>
            <td>
              {r.judgeTraceId ? (
                <Link href={`/traces/${r.judgeTraceId}`} className="mono">
                  {shortId(r.judgeTraceId)}
                </Link>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
