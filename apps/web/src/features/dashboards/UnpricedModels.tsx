/** Models whose calls could not be priced, each with a way to set a price. */
import type { UnpricedModelsResponse } from '@sightline/schema'
import { useState } from 'react'
import { useQuery } from '../../api/use-query'
import { formatRelative, formatTokens } from '../../lib/format'
import { ChartPanel } from './ChartPanel'
import { analyticsApi, type Range } from './dashboard-api'
import { PriceDialog } from './PriceDialog'

export function UnpricedModels({ range, refresh, onPriced }: { range: Range; refresh: number; onPriced: () => void }) {
  const query = useQuery(`unpriced:${range.from}|${range.to}|${refresh}`, (signal) =>
    analyticsApi.unpricedModels(range, signal),
  )
  const [editing, setEditing] = useState<UnpricedModelsResponse['models'][number] | null>(null)
  return (
    <ChartPanel
      title="Models without a price"
      note="their calls count as $0 until priced"
      query={query}
      isEmpty={(d) => d.models.length === 0}
      emptyText="Every model in this range has a price."
    >
      {(d) => (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Calls</th>
                <th className="num">Input</th>
                <th className="num">Output</th>
                <th>Last seen</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.models.map((m) => (
                <tr key={m.model}>
                  <td className="mono">{m.model}</td>
                  <td className="num">{m.calls.toLocaleString('en-US')}</td>
                  <td className="num">{formatTokens(m.inputTokens)}</td>
                  <td className="num">{formatTokens(m.outputTokens)}</td>
                  <td className="muted">{formatRelative(m.lastSeen)}</td>
                  <td className="num">
                    <button className="btn small" onClick={() => setEditing(m)}>
                      Set price
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {editing && (
            <PriceDialog
              model={editing.model}
              range={range}
              onClose={() => setEditing(null)}
              onSaved={() => {
                setEditing(null)
                onPriced()
              }}
            />
          )}
        </>
      )}
    </ChartPanel>
  )
}
