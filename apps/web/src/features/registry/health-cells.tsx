/** Table cells of a health figure, shared by the agents and tools tables. */
import type { Health } from '@sightline/schema'
import { formatCost, formatDuration } from '../../lib/format'

export const rateText = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)} %`)

export function HealthCells({ health, showCost }: { health: Health; showCost: boolean }) {
  return (
    <>
      <td className="num" data-col="calls">
        {health.calls.toLocaleString('en-US')}
      </td>
      <td
        className={`num${health.errorRate !== null && health.errorRate > 0 ? ' err-text' : ''}`}
        data-col="error-rate"
      >
        {rateText(health.errorRate)}
      </td>
      <td className="num" data-col="p50">
        {health.p50Ms === null ? '–' : formatDuration(health.p50Ms)}
      </td>
      <td className="num" data-col="p95">
        {health.p95Ms === null ? '–' : formatDuration(health.p95Ms)}
      </td>
      {showCost && (
        <td className="num" data-col="cost">
          {formatCost(health.costUsd)}
        </td>
      )}
      {showCost && (
        <td className="num" data-col="delegated-cost">
          {formatCost(health.delegatedCostUsd)}
        </td>
      )}
    </>
  )
}
