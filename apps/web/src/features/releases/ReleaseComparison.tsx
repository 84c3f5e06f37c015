/** Two releases side by side: verdicts in plain words first, then the figures and how they were estimated. */
import type { CompareReleasesResponse, ReleaseStats } from '@sightline/schema'
import { Link } from 'wouter'
import { formatCost, formatDuration } from '../../lib/format'
import { explorerLink } from '../dashboards/explorer-link'
import { formatPercent } from '../dashboards/overview-tiles'
import { describeCost, describeLatency, describeRate, type DiffText } from './release-diff'

export function ReleaseComparison({ data }: { data: CompareReleasesResponse }) {
  const { a, b, diff } = data
  const verdicts = [
    describeLatency(diff.latencyGeoMeanRatio, a.release, b.release),
    describeCost(diff.costPerTrace, a.release, b.release, a.costPerTrace.estimate),
    describeRate(diff.errorRate, 'failed-invocation rate', a.release, b.release),
    describeRate(diff.toolErrorRate, 'tool-error rate', a.release, b.release),
  ].filter((v): v is DiffText => v !== null)
  const ms = (v: number | null) => (v === null ? '—' : formatDuration(v))
  const interval = (lo: number | null, hi: number | null, f: (v: number) => string) =>
    lo === null || hi === null ? '' : ` (${f(lo)}–${f(hi)})`
  const rows: Array<[string, (s: ReleaseStats) => string]> = [
    ['Traces it ran in', (s) => s.traces.toLocaleString('en-US')],
    [
      'Cost per trace, its own calls (95 % CI)',
      (s) =>
        `${formatCost(s.costPerTrace.estimate)}${interval(s.costPerTrace.ciLow, s.costPerTrace.ciHigh, formatCost)}`,
    ],
    ['Agent invocation latency p50', (s) => ms(s.latencyMs.p50)],
    ['Agent invocation latency p95', (s) => ms(s.latencyMs.p95)],
    ['Agent invocation latency p99', (s) => ms(s.latencyMs.p99)],
    ['Agent invocation latency, geometric mean', (s) => ms(s.latencyMs.geoMean)],
    [
      'Failed agent invocations / invocations (95 % CI)',
      (s) =>
        `${formatPercent(s.errorRate.estimate)}` +
        `${interval(s.errorRate.ciLow, s.errorRate.ciHigh, (v) => formatPercent(v))}`,
    ],
    [
      'Failed tool calls / tool calls (95 % CI)',
      (s) =>
        `${formatPercent(s.toolErrorRate.estimate)}` +
        `${interval(s.toolErrorRate.ciLow, s.toolErrorRate.ciHigh, (v) => formatPercent(v))}`,
    ],
  ]
  const tracesOf = (release: string) =>
    explorerLink({ dimension: 'release', value: release, from: data.from, to: data.to, sort: 'durationMs' })
  return (
    <>
      <div className="verdicts" aria-label="Verdicts">
        {verdicts.map((v) => (
          <div key={v.headline} className={`verdict ${v.tone}`}>
            <strong>{v.headline}</strong> <span className="muted">{v.detail}</span>
          </div>
        ))}
      </div>
      <div className="table-wrap">
        <table className="grid release-table">
          <thead>
            <tr>
              <th />
              <th className="num">
                A · <Link href={tracesOf(a.release)}>{a.release}</Link>
              </th>
              <th className="num">
                B · <Link href={tracesOf(b.release)}>{b.release}</Link>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, cell]) => (
              <tr key={label}>
                <td>{label}</td>
                <td className="num">{cell(a)}</td>
                <td className="num">{cell(b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="methods">
        <summary>How these figures were estimated</summary>
        <div>{data.methods.population}</div>
        <div>{data.methods.costPerTrace}</div>
        <div>{data.methods.latency}</div>
        <div>{data.methods.rates}</div>
      </details>
    </>
  )
}
