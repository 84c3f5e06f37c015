/**
 * One time-series chart: stacked bars (additive metrics, one bar segment per dimension value) or
 * lines (rates, quantiles). Clicking a bar segment or a line point calls `onPick` with the series
 * (null for lines: the whole bucket) and the bucket; incidents are shaded areas (a click opens one).
 */
import type { AnalyticsStep } from '@sightline/schema'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { formatTimestamp } from '../../lib/format'
import type { IncidentArea } from '../anomalies/incident-areas'
import { IncidentShading } from '../anomalies/IncidentShading'
import { formatBucket, type ChartData, type ChartSeries } from './chart-data'

const PALETTE = [
  '#3b5bdb',
  '#0c8599',
  '#e8590c',
  '#7048e8',
  '#2f9e44',
  '#c2255c',
  '#f08c00',
  '#1971c2',
  '#5c940d',
  '#868e96',
]

interface Props {
  data: ChartData
  step: AnalyticsStep
  kind: 'bars' | 'lines'
  format: (value: number) => string
  /** Axis ticks; defaults to `format`. */
  formatTick?: (value: number) => string
  areas: readonly IncidentArea[]
  onPick: (series: ChartSeries | null, t: string) => void
  onOpenIncident: (incidentId: string) => void
  height?: number
}

export function SeriesChart({
  data,
  step,
  kind,
  format,
  formatTick = format,
  areas,
  onPick,
  onOpenIncident,
  height = 220,
}: Props) {
  const first = data.rows[0]?.t
  const last = data.rows[data.rows.length - 1]?.t
  const spansDays =
    first !== undefined && last !== undefined && new Date(first).toDateString() !== new Date(last).toDateString()
  const common = {
    data: data.rows,
    margin: { top: 8, right: 12, bottom: 0, left: 4 },
  }
  const axes = [
    <CartesianGrid key="grid" stroke="#eef0f3" vertical={false} />,
    <XAxis
      key="x"
      dataKey="t"
      tickFormatter={(t: string) => formatBucket(t, step, spansDays)}
      tick={{ fontSize: 11, fill: '#687182' }}
      minTickGap={24}
    />,
    <YAxis key="y" tickFormatter={(v: number) => formatTick(v)} tick={{ fontSize: 11, fill: '#687182' }} width={64} />,
    <Tooltip
      key="tip"
      labelFormatter={(t) => formatTimestamp(String(t))}
      formatter={(v) => (typeof v === 'number' ? format(v) : '—')}
      contentStyle={{ fontSize: 12, borderRadius: 6 }}
    />,
    <Legend key="legend" wrapperStyle={{ fontSize: 12 }} iconSize={10} />,
    <IncidentShading key="incidents" areas={areas} onOpen={onOpenIncident} />,
  ]
  return (
    <div className="chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === 'bars' ? (
          <BarChart {...common}>
            {axes}
            {data.series.map((s, i) => (
              <Bar
                key={s.dataKey}
                dataKey={s.dataKey}
                name={s.name}
                stackId="stack"
                fill={PALETTE[i % PALETTE.length]}
                cursor="pointer"
                isAnimationActive={false}
                onClick={(_entry, index) => {
                  const row = data.rows[index]
                  if (row) onPick(s, row.t)
                }}
              />
            ))}
          </BarChart>
        ) : (
          <LineChart
            {...common}
            style={{ cursor: 'pointer' }}
            onClick={(state) => {
              const row = state.activeIndex === undefined ? undefined : data.rows[Number(state.activeIndex)]
              if (row) onPick(null, row.t)
            }}
          >
            {axes}
            {data.series.map((s, i) => (
              <Line
                key={s.dataKey}
                dataKey={s.dataKey}
                name={s.name}
                stroke={PALETTE[i % PALETTE.length]}
                dot={false}
                strokeWidth={1.8}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  )
}
