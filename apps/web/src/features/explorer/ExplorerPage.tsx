/** `/traces`: the trace explorer. The URL is the whole state (see explorer-url.ts). */
import { useEffect } from 'react'
import { useLocation, useSearch } from 'wouter'
import { Empty, ErrorState, Loading } from '../../components/States'
import { QuarantineNotice } from '../quarantine/QuarantineNotice'
import { useCompareSelectionStore } from '../../stores/compare-selection-store'
import { nextSort, parseExplorerQuery, resolveRange, serializeExplorerQuery, type ExplorerQuery } from './explorer-url'
import { FilterBar } from './FilterBar'
import { TraceTable } from './TraceTable'
import { useTraceList } from './use-trace-list'
import { useScoreSummaries } from '../scores/use-score-summaries'
import { CreateQueueButton } from '../review/CreateQueueButton'
import { TraceViewPage } from '../../pages'

export function ExplorerPage() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const q = parseExplorerQuery(search)
  const list = useTraceList(q)
  const scores = useScoreSummaries(list.traces.map((t) => t.traceId))
  const selected = useCompareSelectionStore((s) => s.traceIds)
  const clearSelection = useCompareSelectionStore((s) => s.clearSelection)
  // A click on a row then draws the trace without a fallback first (lib/lazy-page.ts).
  useEffect(() => void TraceViewPage.preload().catch(() => {}), [])
  const update = (patch: Partial<ExplorerQuery>) => {
    const text = serializeExplorerQuery({ ...q, ...patch })
    navigate(text ? `/traces?${text}` : '/traces')
  }

  return (
    <div className="page explorer">
      <div className="page-head">
        <h1>Traces</h1>
        <span className="muted">
          {list.isLoading && list.traces.length === 0
            ? ''
            : `${list.traces.length}${list.nextCursor ? '+' : ''} ` +
              `${list.traces.length === 1 && !list.nextCursor ? 'trace' : 'traces'}`}
        </span>
        <span className="spacer" />
        {selected.length > 0 && <span className="muted small">{selected.length} of 2 selected</span>}
        {selected.length > 0 && (
          <button className="btn ghost" onClick={clearSelection}>
            Clear
          </button>
        )}
        <CreateQueueButton q={q} />
        <button
          className="btn primary"
          disabled={selected.length !== 2}
          title="Tick two traces to compare them"
          onClick={() => navigate(`/compare?a=${selected[0]}&b=${selected[1]}`)}
        >
          Compare
        </button>
      </div>
      <FilterBar q={q} update={update} />
      {/* A preset starts at a whole minute (one check per minute, not per render) and runs to now. */}
      <QuarantineNotice
        range={
          q.range === 'custom'
            ? resolveRange(q)
            : { from: resolveRange(q, Math.floor(Date.now() / 60_000) * 60_000).from }
        }
      />
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : list.isLoading && list.traces.length === 0 ? (
        <Loading label="Loading traces…" />
      ) : list.traces.length === 0 ? (
        <Empty title="No traces match">
          Widen the time range or clear some filters.{q.isLive ? ' Live mode is on: new traces appear here.' : ''}
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <TraceTable
              traces={list.traces}
              q={q}
              newIds={list.newIds}
              scores={scores}
              onSort={(s) => update(nextSort(q, s))}
            />
          </div>
          <div className="pager">
            {list.nextCursor ? (
              <button className="btn" disabled={list.isLoading} onClick={() => update({ pages: q.pages + 1 })}>
                {list.isLoading ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <span className="muted small">End of results</span>
            )}
          </div>
        </>
      )}
    </div>
  )
}
