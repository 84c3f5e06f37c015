/** The registry pages' range presets; the choice lives in the URL. */
import { useLocation, useSearch } from 'wouter'
import { RANGES, withParams, type RegistryRange } from './registry-url'

export function RangePicker({ range }: { range: RegistryRange }) {
  const search = useSearch()
  const [location, navigate] = useLocation()
  return (
    <div className="tabs" role="group" aria-label="Range">
      {(Object.keys(RANGES) as Array<keyof typeof RANGES>).map((key) => (
        <button
          key={key}
          className={`tab${range.key === key ? ' active' : ''}`}
          onClick={() => navigate(`${location}${withParams(search, { range: key, from: undefined, to: undefined })}`)}
        >
          {key}
        </button>
      ))}
    </div>
  )
}
