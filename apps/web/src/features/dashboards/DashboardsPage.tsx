/**
 * `/dashboards`: cost, tokens, latency and error rates over a range (URL state, see
 * dashboard-url.ts), overview tiles with deltas, top traces and agents, unpriced models, and the
 * incidents shaded on the charts they concern. A lazy chunk: recharts lives only here.
 */
import { useMemo, useState } from 'react'
import { useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'
import { incidentApi } from '../anomalies/incident-api'
import { incidentsForChart } from '../anomalies/incident-view'
import { QuarantineNotice } from '../quarantine/QuarantineNotice'
import { combineSeries, formatCostTick, seriesToChart } from './chart-data'
import { analyticsApi } from './dashboard-api'
import {
  DASHBOARD_RANGES,
  GROUP_BYS,
  parseDashboardQuery,
  resolveDashboardRange,
  serializeDashboardQuery,
  stepFor,
  type DashboardQuery,
} from './dashboard-url'
import { MetricChart } from './MetricChart'
import { formatPercent } from './overview-tiles'
import { OverviewTiles } from './OverviewTiles'
import { SplitTotals } from './SplitTotals'
import { TopTables } from './TopTables'
import { UnpricedModels } from './UnpricedModels'
import { ScorePanel } from '../scores/ScorePanel'
import './dashboards.css'

const MINUTE = 60_000

export default function DashboardsPage() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const q = parseDashboardQuery(search)
  const [refresh, setRefresh] = useState(0)
  // Presets end at "now" rounded to the minute, fixed until the range changes or Refresh is pressed.
  const now = useMemo(() => Math.floor(Date.now() / MINUTE) * MINUTE, [search, refresh])
  const range = resolveDashboardRange(q, now)
  const step = stepFor(range)
  const update = (patch: Partial<DashboardQuery>) => {
    const text = serializeDashboardQuery({ ...q, ...patch })
    navigate(text ? `/dashboards?${text}` : '/dashboards')
  }
  const key = `${range.from}|${range.to}|${refresh}`
  const overview = useQuery(`overview:${key}`, (signal) => analyticsApi.overview(range, signal))
  const incidents = useQuery(`incidents:${key}`, (signal) => incidentApi.list({ ...range, limit: 500 }, signal))
  const shaded = (chart: Parameters<typeof incidentsForChart>[1]) =>
    incidentsForChart(incidents.data?.incidents ?? [], chart)
  const shared = { range, step, refresh }

  return (
    <div className="page dashboards">
      <div className="page-head">
        <h1>Dashboards</h1>
        <span className="muted small">
          {step === '5m' ? '5-minute' : step === '1h' ? 'hourly' : 'daily'} points · click a point for its traces
        </span>
        <span className="spacer" />
        <select
          aria-label="Time range"
          value={q.range}
          onChange={(e) => update({ range: e.target.value as DashboardQuery['range'], from: '', to: '' })}
        >
          {Object.keys(DASHBOARD_RANGES).map((r) => (
            <option key={r} value={r}>
              Last {r}
            </option>
          ))}
          {q.range === 'custom' && (
            <option value="custom">
              {new Date(range.from).toLocaleString()} – {new Date(range.to).toLocaleString()}
            </option>
          )}
        </select>
        <button className="btn" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {/* A preset runs to now: spans quarantined since the range was fixed still count. */}
      <QuarantineNotice range={q.range === 'custom' ? range : { from: range.from }} />
      {overview.error ? (
        <ErrorState error={overview.error} onRetry={overview.reload} />
      ) : overview.data ? (
        <OverviewTiles overview={overview.data} />
      ) : (
        <Loading label="Loading overview…" />
      )}
      <div className="dash-grid">
        <MetricChart
          {...shared}
          title="Cost"
          controls={
            <div className="tabs" role="group" aria-label="Group cost by">
              {GROUP_BYS.map((g) => (
                <button
                  key={g}
                  className={q.groupBy === g ? 'tab active' : 'tab'}
                  aria-pressed={q.groupBy === g}
                  onClick={() => update({ groupBy: g })}
                >
                  {g}
                </button>
              ))}
            </div>
          }
          requests={[{ metric: 'cost', dimension: q.groupBy, top: 8 }]}
          toChart={([r]) => seriesToChart(r?.series ?? [], q.groupBy)}
          footer={(data) => <SplitTotals data={data} format={formatCost} dimension={q.groupBy} />}
          kind="bars"
          format={formatCost}
          formatTick={formatCostTick}
          dimension={q.groupBy}
          incidents={shaded('cost')}
          link={{ sort: 'costUsd' }}
        />
        <MetricChart
          {...shared}
          title="Tokens by kind"
          note="input includes cached input"
          requests={(['input', 'cached_input', 'output', 'reasoning'] as const).map((tokenKind) => ({
            metric: 'tokens' as const,
            tokenKind,
          }))}
          toChart={(rs) =>
            combineSeries(
              ['input', 'cached input', 'output', 'reasoning'].map((name, i) => ({ name, series: rs[i]?.series[0] })),
            )
          }
          kind="lines"
          format={formatTokens}
          dimension="total"
          incidents={shaded('tokens')}
        />
        <MetricChart
          {...shared}
          title="Trace latency"
          requests={(['latency_p50', 'latency_p95', 'latency_p99'] as const).map((metric) => ({ metric }))}
          toChart={(rs) => combineSeries(['p50', 'p95', 'p99'].map((name, i) => ({ name, series: rs[i]?.series[0] })))}
          kind="lines"
          format={formatDuration}
          dimension="total"
          incidents={shaded('latency')}
          link={{ sort: 'durationMs' }}
        />
        <MetricChart
          {...shared}
          title="Error rates"
          note="failed traces / finished traces; failed tool calls / tool calls"
          requests={[{ metric: 'error_rate' }, { metric: 'tool_error_rate' }]}
          toChart={(rs) =>
            combineSeries([
              { name: 'failed traces', series: rs[0]?.series[0] },
              { name: 'failed tool calls', series: rs[1]?.series[0] },
            ])
          }
          kind="lines"
          format={formatPercent}
          dimension="total"
          incidents={shaded('errors')}
          link={{ outcomes: ['failed'] }}
        />
        <TopTables range={range} refresh={refresh} />
        <UnpricedModels range={range} refresh={refresh} onPriced={() => setRefresh((n) => n + 1)} />
        <ScorePanel range={range} step={step} />
      </div>
    </div>
  )
}
