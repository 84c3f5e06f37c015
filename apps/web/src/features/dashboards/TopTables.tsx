/** The most expensive traces and agents of the range, each linking to what is behind it. */
import type { TopResponse } from '@sightline/schema'
import { Link } from 'wouter'
import { useQuery } from '../../api/use-query'
import { formatCost, formatTokens, shortId } from '../../lib/format'
import { ChartPanel } from './ChartPanel'
import { analyticsApi, type Range } from './dashboard-api'
import { UNATTRIBUTED_LABEL } from './chart-data'
import { explorerLink } from './explorer-link'

export function TopTables({ range, refresh }: { range: Range; refresh: number }) {
  const key = `${range.from}|${range.to}|${refresh}`
  const traces = useQuery(`top-traces:${key}`, (signal) => analyticsApi.top('trace', range, signal))
  const agents = useQuery(`top-agents:${key}`, (signal) => analyticsApi.top('agent', range, signal))
  return (
    <>
      <ChartPanel
        title="Most expensive traces"
        query={traces}
        isEmpty={(d) => d.rows.length === 0}
        emptyText="No traces in this range."
      >
        {(d) => (
          <TopTable
            data={d}
            href={(key) => `/traces/${key}`}
            label={(row) => (
              <>
                {row.label} <span className="muted mono small">{shortId(row.key)}</span>
              </>
            )}
            callsLabel="Spans"
          />
        )}
      </ChartPanel>
      <ChartPanel
        title="Most expensive agents"
        query={agents}
        isEmpty={(d) => d.rows.length === 0}
        emptyText="No agent spans in this range."
      >
        {(d) => (
          <TopTable
            data={d}
            href={(key) => explorerLink({ dimension: 'agent', value: key, ...range, sort: 'costUsd' })}
            label={(row) =>
              row.key === '' ? (
                <em title="Model calls and tools under no agent span">{row.label || UNATTRIBUTED_LABEL}</em>
              ) : (
                row.label
              )
            }
            callsLabel="Invocations"
          />
        )}
      </ChartPanel>
    </>
  )
}

type Row = TopResponse['rows'][number]

function TopTable({
  data,
  href,
  label,
  callsLabel,
}: {
  data: TopResponse
  href: (key: string) => string
  label: (row: Row) => React.ReactNode
  callsLabel: string
}) {
  return (
    <table className="grid top-table">
      <thead>
        <tr>
          <th>Name</th>
          <th className="num">Cost</th>
          <th className="num">Tokens</th>
          <th className="num">{callsLabel}</th>
          <th className="num">Failed</th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((row) => (
          <tr key={row.key}>
            <td className="name-cell">
              <Link href={href(row.key)}>{label(row)}</Link>
            </td>
            <td className="num">{formatCost(row.costUsd)}</td>
            <td className="num">{formatTokens(row.tokens)}</td>
            <td className="num">{row.calls.toLocaleString('en-US')}</td>
            <td className={row.errors > 0 ? 'num err-text' : 'num'}>{row.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
