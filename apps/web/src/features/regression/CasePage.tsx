/**
 * `/regression/cases/:id`: one saved case (failure, expected trajectory, assertions, policy) and its
 * run history per release, as the CLI reported it ("failing on 2.3.0, passing since 2.3.1").
 */
import type { RegressionCase, RegressionRunsResponse } from '@sightline/schema'
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { formatDuration, formatTimestamp } from '../../lib/format'
import { describeArgs } from './case-draft'
import { caseFileName, downloadText, vitestFileName } from './download'
import { regressionApi } from './regression-api'
import './regression.css'

const VERDICT_CLASS = { pass: 'pill ok', fail: 'pill err', error: 'pill warn', unverifiable: 'pill' } as const

export default function CasePage({ id }: { id: string }) {
  const found = useQuery(`case:${id}`, (signal) => regressionApi.getCase(id, signal))
  const runs = useQuery(`runs:${id}`, (signal) => regressionApi.getRuns(id, signal))
  const head = (title: string) => (
    <div className="page-head">
      <Link href="/regression" className="muted">
        Regression
      </Link>
      <span className="muted">/</span>
      <h1 title={title}>{title}</h1>
    </div>
  )
  if (found.error)
    return (
      <div className="page">
        {head(id)}
        <ErrorState error={found.error} onRetry={found.reload} />
      </div>
    )
  if (!found.data)
    return (
      <div className="page">
        {head(id)}
        <Loading label="Loading case…" />
      </div>
    )
  const { case: rc, suite } = found.data
  return (
    <div className="page rc-page">
      {head(rc.title || rc.id)}
      <CaseHeader rc={rc} suite={suite} />
      <section className="rc-card" aria-label="Run history">
        <div className="rc-card-head">
          <h3>Run history</h3>
          <span className="muted small">
            Reported by <code className="mono">sightline regress run</code> after each run.
          </span>
        </div>
        {runs.error ? (
          <ErrorState error={runs.error} onRetry={runs.reload} />
        ) : !runs.data ? (
          <Loading label="Loading runs…" />
        ) : (
          <History runs={runs.data} />
        )}
      </section>
      <CaseBody rc={rc} />
    </div>
  )
}

function CaseHeader({ rc, suite }: { rc: RegressionCase; suite: string }) {
  const [, navigate] = useLocation()
  const [deleting, setDeleting] = useState<string>('')
  const remove = async () => {
    if (!window.confirm(`Delete ${rc.id} from suite ${suite}?`)) return
    try {
      await regressionApi.deleteCase(rc.id)
      navigate('/regression')
    } catch (err) {
      setDeleting((err as Error).message)
    }
  }
  return (
    <section className="rc-card" aria-label="Case">
      <div className="rc-form">
        <span className="tag">suite {suite}</span>
        <span className="mono small">{rc.id}</span>
        <span className={rc.severity === 'critical' ? 'pill err' : 'pill'}>{rc.severity}</span>
        <span className="muted small">
          from trace{' '}
          <Link href={`/traces/${rc.source.traceId}`} className="mono">
            {rc.source.traceId.slice(0, 12)}…
          </Link>{' '}
          · agent <strong>{rc.agent.name}</strong>
          {rc.agent.release && (
            <>
              {' '}
              at <span className="mono">{rc.agent.release}</span>
            </>
          )}
        </span>
        <span className="spacer" />
        <button
          className="btn"
          onClick={() => downloadText(caseFileName(rc.id), `${JSON.stringify(rc, null, 2)}\n`, 'application/json')}
        >
          Download case JSON
        </button>
        <a className="btn" href={regressionApi.vitestUrl(rc.id)} download={vitestFileName(rc.id)}>
          Download Vitest file
        </a>
        <button className="btn ghost" onClick={remove}>
          Delete
        </button>
      </div>
      {deleting && (
        <div className="form-error" role="alert">
          {deleting}
        </div>
      )}
      <div className="rc-failure">
        <span className="tag">{rc.failure.category}</span> {rc.failure.summary}
      </div>
      <div className="muted small">
        Input <span className="mono">{JSON.stringify(rc.input.text)}</span>
      </div>
    </section>
  )
}

function History({ runs }: { runs: RegressionRunsResponse }) {
  if (runs.runs.length === 0) {
    return (
      <Empty title="No runs yet">
        Run it with <code className="mono">sightline regress run</code> (or the downloaded Vitest file) against a
        release; each run is reported here.
      </Empty>
    )
  }
  return (
    <>
      <div className="rc-summary" aria-label="Release summary">
        {runs.summary}
      </div>
      <div className="rc-releases">
        {runs.releases.map((r) => (
          <div key={r.release} className="rc-release" data-release={r.release}>
            <span className="mono">{r.release}</span>
            <span className={VERDICT_CLASS[r.lastVerdict]}>
              {r.lastVerdict === 'pass' ? 'passing' : r.lastVerdict === 'fail' ? 'failing' : r.lastVerdict}
            </span>
            <span className="muted small">
              {r.passed}/{r.runs} passed
            </span>
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table className="grid">
          <thead>
            <tr>
              <th>Started</th>
              <th>Release</th>
              <th>Verdict</th>
              <th className="num">Duration</th>
              <th>Trace</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {[...runs.runs].reverse().map((r) => (
              <tr key={r.runId}>
                <td className="nowrap">{formatTimestamp(r.startedAt)}</td>
                <td className="mono">{r.release || '(unknown)'}</td>
                <td>
                  <span className={VERDICT_CLASS[r.verdict]}>{r.verdict}</span>
                </td>
                <td className="num">{formatDuration(r.durationMs)}</td>
                <td>
                  <Link href={`/traces/${r.traceId}`} className="mono small">
                    {r.traceId.slice(0, 12)}…
                  </Link>
                </td>
                <td className="small rc-run-summary">{r.summary || <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function CaseBody({ rc }: { rc: RegressionCase }) {
  const { match } = rc.expected
  return (
    <div className="rc-columns">
      <section className="rc-card" aria-label="Expected trajectory">
        <div className="rc-card-head">
          <h3>Expected trajectory</h3>
          <span className="muted small">
            order {match.order} · extras {match.extras} · missing {match.missing}
          </span>
        </div>
        {rc.expected.trajectory.length === 0 ? (
          <p className="muted small rc-pad">No expected steps.</p>
        ) : (
          <ol className="rc-steps">
            {rc.expected.trajectory.map((s, i) => (
              <li key={i} className="rc-step">
                <span className="rc-num">{i + 1}</span>
                <span
                  className={`badge ${s.kind === 'tool_call' ? 'b-tool' : s.kind === 'llm_call' ? 'b-llm' : 'b-a2a'}`}
                >
                  {s.kind === 'tool_call' ? 'TOOL' : s.kind === 'llm_call' ? 'LLM' : 'A2A'}
                </span>
                <strong className="mono">{s.name}</strong>
                {s.args && <code className="rc-args">{describeArgs(s.args)}</code>}
                <span className="muted small">
                  args {s.argsMatch}
                  {s.ignorePaths.length ? ` − ${s.ignorePaths.join(', ')}` : ''}
                  {s.optional ? ' · optional' : ''}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="rc-card" aria-label="Assertions">
        <div className="rc-card-head">
          <h3>Assertions</h3>
          <span className="muted small">
            {rc.policy.runs} run(s), pass rule {JSON.stringify(rc.policy.passRule)}
            {rc.policy.expectRelease ? `, release ${rc.policy.expectRelease}` : ''}
          </span>
        </div>
        <ul className="rc-assertions">
          {rc.assertions.map((a) => (
            <li key={a.id} className="rc-assertion">
              <div className="rc-assertion-row">
                <span className="tag mono">{a.type}</span>
                <strong className="mono">{a.id}</strong>
                <span className={a.blocking ? 'pill' : 'pill muted'}>{a.blocking ? 'blocking' : 'advisory'}</span>
              </div>
              {a.description && <div className="muted small">{a.description}</div>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}
