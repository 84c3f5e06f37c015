/** The dashboards' score panel: a score's mean or pass rate over time, by release, agent, model or source. */
import type { ScoreDimension, ScoreMetric } from '@sightline/schema'
import { useState } from 'react'
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { scoresApi } from './scores-api'
import './scores.css'

const COLOURS = ['#3b5bdb', '#e8890c', '#2f9e44', '#c2255c', '#7048e8', '#0c8599', '#5c940d', '#868e96']

export function ScorePanel({ range, step }: { range: { from: string; to: string }; step: '5m' | '1h' | '1d' }) {
  const configs = useQuery('score-configs', (signal) => scoresApi.configs(signal))
  const [name, setName] = useState('')
  const [metric, setMetric] = useState<ScoreMetric>('mean')
  const [dimension, setDimension] = useState<ScoreDimension>('release')
  const names = [...new Set(['user_feedback', ...(configs.data?.map((c) => c.name) ?? [])])]
  const current = name || names[0] || ''
  const series = useQuery(
    current ? `score-series:${current}:${metric}:${dimension}:${range.from}:${range.to}:${step}` : null,
    (signal) => scoresApi.series({ name: current, metric, dimension, ...range, step }, signal),
  )
  const rows = (series.data?.series[0]?.points ?? []).map((p, i) => ({
    t: p.t,
    ...Object.fromEntries((series.data?.series ?? []).map((s) => [s.key || '(none)', s.points[i]?.value ?? null])),
  }))
  return (
    <section className="chart-panel score-panel" aria-label="Scores">
      <div className="controls">
        <h3>Scores</h3>
        <select aria-label="Score" value={current} onChange={(e) => setName(e.target.value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <select aria-label="Score metric" value={metric} onChange={(e) => setMetric(e.target.value as ScoreMetric)}>
          <option value="mean">mean</option>
          <option value="pass_rate">pass rate</option>
          <option value="count">count</option>
        </select>
        <select
          aria-label="Score by"
          value={dimension}
          onChange={(e) => setDimension(e.target.value as ScoreDimension)}
        >
          {(['release', 'agent', 'model', 'source', 'total'] as const).map((d) => (
            <option key={d} value={d}>
              by {d}
            </option>
          ))}
        </select>
        {series.data && metric === 'pass_rate' && (
          <span className="muted small">{series.data.passRule ?? 'no pass rule: set one in the score config'}</span>
        )}
      </div>
      {series.error ? (
        <ErrorState error={series.error} />
      ) : !series.data ? (
        <Loading label="Loading scores…" />
      ) : series.data.series.length === 0 ? (
        <p className="muted small">No {current} scores in this range.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={rows}>
            <CartesianGrid stroke="#eef0f3" />
            <XAxis
              dataKey="t"
              tickFormatter={(t: string) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              fontSize={11}
            />
            <YAxis domain={metric === 'count' ? ['auto', 'auto'] : [0, 'auto']} fontSize={11} />
            <Tooltip
              labelFormatter={(t) => new Date(String(t)).toLocaleString()}
              formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))}
            />
            <Legend />
            {series.data.series.map((s, i) => (
              <Line
                key={s.key}
                dataKey={s.key || '(none)'}
                name={`${s.key || '(none)'} (${s.total === null ? '—' : s.total.toFixed(2)}, n=${s.n})`}
                stroke={COLOURS[i % COLOURS.length]}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </section>
  )
}
