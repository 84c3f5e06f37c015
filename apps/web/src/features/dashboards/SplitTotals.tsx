/**
 * A split's totals under its chart: every series over the range with its share, the unattributed
 * share named as such, and their sum, so one can see that the split adds up to the project total.
 */
import type { ChartData } from './chart-data'

export function SplitTotals({
  data,
  format,
  dimension,
}: {
  data: ChartData
  format: (value: number) => string
  dimension: string
}) {
  const parts = data.series.filter((s) => s.total !== null && s.total !== 0)
  if (parts.length === 0) return null
  const sum = parts.reduce((acc, s) => acc + (s.total ?? 0), 0)
  return (
    <ul className="split-totals" aria-label={`Totals by ${dimension}`}>
      {parts.map((s) => (
        <li
          key={s.dataKey}
          className={s.isUnattributed ? 'unattributed' : undefined}
          title={s.isUnattributed ? `No ${dimension} is attributed to this share` : undefined}
        >
          <span className="split-name">{s.name}</span> <span className="num-strong">{format(s.total ?? 0)}</span>
          <span className="muted"> {sum > 0 ? `${Math.round(((s.total ?? 0) / sum) * 100)}%` : ''}</span>
        </li>
      ))}
      <li className="split-sum">
        <span className="split-name">= total</span>{' '}
        <span className="num-strong" data-value={sum}>
          {format(sum)}
        </span>
      </li>
    </ul>
  )
}
