/**
 * Scores on the releases page: for two releases, each score (production and CI apart) with its 95 %
 * interval and the test that compares them; for every release, its scores and its latest
 * evaluation-gate run ("2.3.1: trajectory_in_order 0.96 (0.91–0.99), gate passed").
 */
import type { CompareReleaseScoresResponse, ReleaseDiff } from '@sightline/schema'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { formatPValue, methodInWords } from '../releases/release-diff'
import { formatInterval } from './score-format'
import { scoresApi } from './scores-api'
import './scores.css'

const diffText = (d: ReleaseDiff | null) =>
  d === null || d.estimate === null
    ? '—'
    : `${d.estimate >= 0 ? '+' : ''}${d.estimate.toFixed(3)}` +
      `${d.ciLow !== null && d.ciHigh !== null ? ` (${d.ciLow.toFixed(2)} to ${d.ciHigh.toFixed(2)})` : ''}, ` +
      `${methodInWords(d.method)}, ${formatPValue(d.pValue)}`

export function ReleaseScoresComparison({ a, b }: { a: string; b: string }) {
  const data = useQuery(`score-compare:${a}|${b}`, (signal) => scoresApi.compare(a, b, signal))
  if (data.error) return <ErrorState error={data.error} />
  if (!data.data) return <Loading label="Comparing scores…" />
  return <CompareTable data={data.data} />
}

function CompareTable({ data }: { data: CompareReleaseScoresResponse }) {
  if (data.scores.length === 0)
    return (
      <p className="muted small">
        No scores on {data.a} or {data.b} in this range.
      </p>
    )
  const gate = (runs: CompareReleaseScoresResponse['evalRuns']['a']) =>
    runs.map((r) => (
      <div key={r.runId} className={r.verdict === 'pass' ? 'gate-pass' : 'gate-fail'}>
        {r.suite}: {r.summary}
      </div>
    ))
  return (
    <section className="table-wrap release-scores" aria-label="Scores by release">
      <table className="grid">
        <thead>
          <tr>
            <th>Score</th>
            <th>From</th>
            <th className="num">A · {data.a} mean (95 % CI)</th>
            <th className="num">B · {data.b} mean (95 % CI)</th>
            <th>B − A</th>
            <th className="num">A pass rate</th>
            <th className="num">B pass rate</th>
            <th>B − A</th>
          </tr>
        </thead>
        <tbody>
          {data.scores.map((s) => (
            <tr key={`${s.population}:${s.name}`}>
              <td className="mono">{s.name}</td>
              <td>{s.population === 'ci' ? 'CI' : 'production'}</td>
              <td className="num">{s.a ? `${formatInterval(s.a.mean)} n=${s.a.n}` : '—'}</td>
              <td className="num">{s.b ? `${formatInterval(s.b.mean)} n=${s.b.n}` : '—'}</td>
              <td className="small">{diffText(s.meanDiff)}</td>
              <td className="num">{s.a?.passRate ? formatInterval(s.a.passRate) : '—'}</td>
              <td className="num">{s.b?.passRate ? formatInterval(s.b.passRate) : '—'}</td>
              <td className="small">{diffText(s.passRateDiff)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(data.evalRuns.a.length > 0 || data.evalRuns.b.length > 0) && (
        <div className="small">
          {gate(data.evalRuns.a)}
          {gate(data.evalRuns.b)}
        </div>
      )}
    </section>
  )
}

/** Every release of the range: its scores with intervals and its gate runs. */
export function ScoresPerRelease() {
  const data = useQuery('scores-per-release', (signal) => scoresApi.releases({}, signal))
  if (data.error) return <ErrorState error={data.error} />
  if (!data.data) return <Loading label="Loading scores per release…" />
  if (data.data.releases.length === 0) return null
  return (
    <section className="table-wrap release-scores" aria-label="Scores per release">
      <table className="grid">
        <thead>
          <tr>
            <th>Release</th>
            <th>Evaluation gate</th>
            <th>Scores (mean, 95 % CI, n)</th>
          </tr>
        </thead>
        <tbody>
          {data.data.releases.map((r) => (
            <tr key={r.release} data-release={r.release}>
              <td className="mono">{r.release}</td>
              <td className={r.evalRuns.some((e) => e.verdict !== 'pass') ? 'gate-fail' : 'gate-pass'}>
                {r.evalRuns.map((e) => (
                  <div key={e.runId}>
                    {e.suite}: {e.summary}
                  </div>
                ))}
                {r.evalRuns.length === 0 && <span className="muted">—</span>}
              </td>
              <td>
                {r.scores.map((s) => (
                  <div key={`${s.population}:${s.name}`} className="small">
                    <span className="mono">{s.name}</span>
                    {s.population === 'ci' ? ' (CI)' : ''} {formatInterval(s.mean)} n={s.n}
                    {s.passRate ? `, pass ${formatInterval(s.passRate)}` : ''}
                    {s.errors ? `, ${s.errors} errors` : ''}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="methods small">
        <summary>How these figures were estimated</summary>
        <div>{data.data.methods.mean}</div>
        <div>{data.data.methods.passRate}</div>
      </details>
    </section>
  )
}
