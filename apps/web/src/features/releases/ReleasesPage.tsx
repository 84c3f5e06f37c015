/**
 * `/releases?a=&b=[&agent=]`: compare two releases (last 7 days), each judged on its own agent
 * invocations. Releases come from the release series ranked by agent invocations ("calls" of the
 * release dimension); "Canary vs baseline" picks the canary-looking release against the most used one.
 */
import { Link, useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { analyticsApi } from '../dashboards/dashboard-api'
import '../dashboards/dashboards.css'
import { releaseApi } from './release-api'
import { canaryAndBaseline } from './release-diff'
import { ReleaseComparison } from './ReleaseComparison'
import { ReleaseScoresComparison, ScoresPerRelease } from '../scores/ReleaseScores'

const WEEK = 7 * 86_400_000

export default function ReleasesPage() {
  const params = new URLSearchParams(useSearch())
  const [, navigate] = useLocation()
  const a = params.get('a') ?? ''
  const b = params.get('b') ?? ''
  const agent = params.get('agent') ?? ''
  const go = (next: { a: string; b: string; agent?: string }) => {
    const p = new URLSearchParams({ a: next.a, b: next.b })
    if (next.agent ?? agent) p.set('agent', next.agent ?? agent)
    navigate(`/releases?${p.toString()}`)
  }
  const releases = useQuery('releases', async (signal) => {
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString()
    const res = await analyticsApi.series(
      {
        metric: 'calls',
        dimension: 'release',
        step: '1d',
        top: 50,
        from: new Date(Date.parse(to) - WEEK).toISOString(),
        to,
      },
      signal,
    )
    return res.series
      .filter((s) => !s.isOther && s.key !== '')
      .map((s) => ({ release: s.key, invocations: s.total ?? 0 }))
  })
  const isReady = a !== '' && b !== '' && a !== b
  const comparison = useQuery(isReady ? `cmp:${a}|${b}|${agent}` : null, (signal) =>
    releaseApi.compare({ a, b, agent: agent || undefined }, signal),
  )
  const options = releases.data ?? []
  const pick = canaryAndBaseline(options)
  const select = (label: string, value: string, onChange: (v: string) => void) => (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{label}…</option>
      {options.map((r) => (
        <option key={r.release} value={r.release}>
          {r.release} ({r.invocations.toLocaleString('en-US')} agent invocations)
        </option>
      ))}
      {value && !options.some((r) => r.release === value) && <option value={value}>{value}</option>}
    </select>
  )

  return (
    <div className="page releases">
      <div className="page-head">
        <h1>Release comparison</h1>
        <span className="muted small">
          last 7 days · each release is judged on its own agent invocations in the traces it ran in
        </span>
      </div>
      <div className="release-picker">
        {select('Release A (baseline)', a, (v) => go({ a: v, b }))}
        <span className="muted">vs</span>
        {select('Release B', b, (v) => go({ a, b: v }))}
        <button className="btn" disabled={!pick} onClick={() => pick && go(pick)}>
          Canary vs baseline
        </button>
        {isReady && (
          <button className="btn ghost" onClick={() => go({ a: b, b: a })}>
            Swap
          </button>
        )}
        {agent && (
          <span className="tag">
            agent {agent} <Link href={`/releases?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`}>×</Link>
          </span>
        )}
      </div>
      {releases.error && <ErrorState error={releases.error} onRetry={releases.reload} />}
      {!isReady ? (
        releases.isLoading ? (
          <Loading label="Loading releases…" />
        ) : options.length < 2 ? (
          <Empty title="Fewer than two releases in the last 7 days">
            Set <code>service.version</code> on your agents' resources to compare releases.
          </Empty>
        ) : (
          <Empty title="Pick two releases">Or press “Canary vs baseline”.</Empty>
        )
      ) : comparison.error ? (
        <ErrorState error={comparison.error} onRetry={comparison.reload} />
      ) : !comparison.data ? (
        <Loading label={`Comparing ${a} and ${b}…`} />
      ) : comparison.data.a.traces === 0 || comparison.data.b.traces === 0 ? (
        <Empty title="Not enough traces">
          {comparison.data.a.traces === 0 ? a : b} ran in no production trace in the last 7 days.
        </Empty>
      ) : (
        <ReleaseComparison data={comparison.data} />
      )}
      {isReady && <ReleaseScoresComparison a={a} b={b} />}
      <h2>Scores per release</h2>
      <ScoresPerRelease />
    </div>
  )
}
