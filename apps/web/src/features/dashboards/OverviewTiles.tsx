/** The overview row: one tile per figure, with its change vs the previous range of equal length. */
import type { OverviewResponse } from '@sightline/schema'
import { formatDelta, TILES } from './overview-tiles'

export function OverviewTiles({ overview }: { overview: OverviewResponse }) {
  return (
    <div className="tiles">
      {TILES.map((tile) => {
        const current = tile.value(overview.current)
        const delta = formatDelta(current, tile.value(overview.previous), tile.isRate, tile.trend)
        return (
          <section key={tile.label} className="tile" role="group" aria-label={tile.label}>
            <div className="tile-label">{tile.label}</div>
            <div className="tile-value" data-value={current ?? ''}>{tile.format(current)}</div>
            <div className={`tile-delta ${delta?.tone ?? 'neutral'}`} title={`Previous range: ${tile.format(tile.value(overview.previous))}`}>
              {delta ? `${delta.text} vs previous` : 'no previous data'}
            </div>
          </section>
        )
      })}
    </div>
  )
}
