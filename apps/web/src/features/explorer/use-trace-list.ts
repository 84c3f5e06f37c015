/**
 * Server state of the explorer table: the pages the URL asks for, fetched in order with the API's
 * cursors, plus live mode, which polls for traces newer than the newest one shown and prepends them.
 * Preset ranges are frozen to absolute bounds when the query changes, so "load more" pages continue
 * the same window instead of shifting with the clock.
 */
import type { TraceSummary } from '@sightline/schema'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../../api/client'
import { serializeExplorerQuery, toListParams, type ExplorerQuery } from './explorer-url'

const LIVE_INTERVAL_MS = 4000

interface ListState {
  traces: TraceSummary[]
  nextCursor: string | null
  pagesLoaded: number
  isLoading: boolean
  error: Error | undefined
  newIds: ReadonlySet<string>
}

const EMPTY: ListState = {
  traces: [],
  nextCursor: null,
  pagesLoaded: 0,
  isLoading: true,
  error: undefined,
  newIds: new Set(),
}

export function useTraceList(q: ExplorerQuery): ListState & { reload: () => void } {
  const baseKey = serializeExplorerQuery({ ...q, pages: 1, isLive: false })
  const [state, setState] = useState<ListState>(EMPTY)
  const [nonce, setNonce] = useState(0)
  const paramsRef = useRef<Record<string, string | undefined>>({})
  const stateRef = useRef(state)
  stateRef.current = state
  const qRef = useRef(q)
  qRef.current = q
  const generation = useRef(0)

  // A new query: start over and load as many pages as the URL says.
  useEffect(() => {
    const controller = new AbortController()
    const params = toListParams(qRef.current)
    paramsRef.current = params
    generation.current++
    setState(EMPTY)
    ;(async () => {
      let traces: TraceSummary[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await api.listTraces({ ...params, cursor: cursor ?? undefined }, controller.signal)
        traces = traces.concat(page.traces)
        cursor = page.nextCursor
        pages++
      } while (cursor && pages < qRef.current.pages)
      if (!controller.signal.aborted)
        setState({
          traces,
          nextCursor: cursor,
          pagesLoaded: pages,
          isLoading: false,
          error: undefined,
          newIds: new Set(),
        })
    })().catch((error: Error) => {
      if (!controller.signal.aborted) setState({ ...EMPTY, isLoading: false, error })
    })
    return () => controller.abort()
  }, [baseKey, nonce])

  // "Load more": the URL's page count went up; fetch only the missing pages. Results of a query the
  // user has since left are dropped by comparing generations, not by aborting (this effect re-runs
  // on its own state changes, and aborting there would cancel the request it just started).
  useEffect(() => {
    const s = stateRef.current
    if (s.isLoading || s.error || !s.nextCursor || q.pages <= s.pagesLoaded) return
    const mine = generation.current
    setState((prev) => ({ ...prev, isLoading: true }))
    api.listTraces({ ...paramsRef.current, cursor: s.nextCursor }).then(
      (page) =>
        mine === generation.current &&
        setState((prev) => ({
          ...prev,
          traces: prev.traces.concat(page.traces),
          nextCursor: page.nextCursor,
          pagesLoaded: prev.pagesLoaded + 1,
          isLoading: false,
        })),
      (error: Error) => mine === generation.current && setState((prev) => ({ ...prev, isLoading: false, error })),
    )
  }, [q.pages, state.pagesLoaded, state.isLoading])

  // Live mode: poll from the newest trace shown up to now.
  useEffect(() => {
    if (!q.isLive) return
    const timer = setInterval(async () => {
      const s = stateRef.current
      if (s.isLoading) return
      const newest = s.traces.reduce((max, t) => (t.startTime > max ? t.startTime : max), '')
      const from = newest ? new Date(Date.parse(newest) - 1000).toISOString() : paramsRef.current['from']
      try {
        const page = await api.listTraces({
          ...paramsRef.current,
          from,
          to: new Date().toISOString(),
          sort: 'startTime',
          order: 'desc',
          cursor: undefined,
        })
        setState((prev) => {
          const known = new Set(prev.traces.map((t) => t.traceId))
          const fresh = page.traces.filter((t) => !known.has(t.traceId))
          return fresh.length
            ? { ...prev, traces: [...fresh, ...prev.traces], newIds: new Set(fresh.map((t) => t.traceId)) }
            : prev
        })
      } catch {
        // A failed poll is retried on the next tick; the table keeps what it has.
      }
    }, LIVE_INTERVAL_MS)
    return () => clearInterval(timer)
  }, [q.isLive, baseKey])

  const reload = useCallback(() => setNonce((n) => n + 1), [])
  return { ...state, reload }
}
