/** `/regression`: saved regression cases grouped by suite. */
import type { RegressionCaseSummary } from '@sightline/schema'
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { formatRelative } from '../../lib/format'
import { regressionApi } from './regression-api'
import './regression.css'

function bySuite(cases: readonly RegressionCaseSummary[]): [string, RegressionCaseSummary[]][] {
  const groups = new Map<string, RegressionCaseSummary[]>()
  for (const c of cases) groups.set(c.suite, [...(groups.get(c.suite) ?? []), c])
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))
}

export default function SuitesPage() {
  const cases = useQuery('regression-cases', (signal) => regressionApi.listCases(signal))
  const head = (
    <div className="page-head">
      <h1>Regression suites</h1>
      <span className="spacer" />
      {cases.data && <span className="muted small">{cases.data.length} case(s)</span>}
    </div>
  )
  if (cases.error)
    return (
      <div className="page">
        {head}
        <ErrorState error={cases.error} onRetry={cases.reload} />
      </div>
    )
  if (!cases.data)
    return (
      <div className="page">
        {head}
        <Loading label="Loading regression cases…" />
      </div>
    )
  if (cases.data.length === 0) {
    return (
      <div className="page">
        {head}
        <Empty title="No regression cases yet">
          Open a failed trace in <Link href="/traces?status=failed,recovered">Traces</Link> and click{' '}
          <strong>Export as regression test</strong>; saved cases appear here, grouped by suite.
        </Empty>
      </div>
    )
  }
  return (
    <div className="page rc-page">
      {head}
      <p className="muted small">
        Run a suite in CI:{' '}
        <code className="mono">
          sightline regress pull --suite &lt;name&gt; --out regressions/ &amp;&amp; sightline regress run regressions/
          --agent-cmd "…"
        </code>
      </p>
      {bySuite(cases.data).map(([suite, list]) => (
        <section key={suite} className="rc-card" aria-label={`Suite ${suite}`}>
          <div className="rc-card-head">
            <h3>Suite {suite}</h3>
            <span className="muted small">{list.length} case(s)</span>
          </div>
          <div className="table-wrap">
            <table className="grid">
              <thead>
                <tr>
                  <th>Case</th>
                  <th>Agent</th>
                  <th>Source trace</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id} data-case-id={c.id}>
                    <td>
                      <Link href={`/regression/cases/${encodeURIComponent(c.id)}`} className="trace-link">
                        {c.title || c.id}
                      </Link>
                      <div className="muted small mono">{c.id}</div>
                    </td>
                    <td>{c.agent}</td>
                    <td>
                      <Link href={`/traces/${c.sourceTraceId}`} className="mono small">
                        {c.sourceTraceId.slice(0, 12)}…
                      </Link>
                    </td>
                    <td className="muted nowrap" title={c.updatedAt}>
                      {formatRelative(c.updatedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  )
}
