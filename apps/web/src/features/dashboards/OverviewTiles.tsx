/** The overview row: one tile per figure, with its change vs the previous range of equal length. */
import type { OverviewResponse } from '@sightline/schema'
import { Link } from 'wouter'
import { explorerLink } from './explorer-link'
import { formatDelta, TILES } from './overview-tiles'

export function OverviewTiles({ overview }: { overview: OverviewResponse }) {
  const range = { from: overview.current.from, to: overview.current.to }
  return (
    <div className="tiles">
      {TILES.map((tile) => {
        const current = tile.value(overview.current)
        const delta = formatDelta(current, tile.value(overview.previous), tile.isRate, tile.trend)
        const value = (
          <div className="tile-value" data-value={current ?? ''}>
            {tile.format(current)}
          </div>
        )
        return (
          <section key={tile.label} className="tile" role="group" aria-label={tile.label}>
            <div className="tile-label">{tile.label}</div>
            {tile.outcomes ? (
              <Link
                href={explorerLink({ dimension: 'total', value: null, ...range, outcomes: tile.outcomes })}
                className="tile-link"
                title={`Open these traces (${tile.outcomes.join(', ')})`}
              >
                {value}
              </Link>
            ) : (
              value
            )}
            {tile.detail && <div className="tile-detail muted small">{tile.detail(overview.current)}</div>}
            <div
              className={`tile-delta ${delta?.tone ?? 'neutral'}`}
              title={`Previous range: ${tile.format(tile.value(overview.previous))}`}
            >
              {delta ? `${delta.text} vs previous` : 'no previous data'}
            </div>
          </section>
        )
      })}
    </div>
  )
}
