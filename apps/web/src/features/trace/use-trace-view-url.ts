/**
 * Keeps the trace view's selected span and tab in the URL (lib/trace-url.ts), both ways: a link or
 * Back/Forward moves the store to the URL's span and tab; a selection made in the page (click,
 * keyboard, tab) replaces the URL, so copying the address reproduces the view. Replace, not push:
 * walking the tree with the arrow keys must not fill the history.
 */
import { useEffect, useRef } from 'react'
import { useLocation, useSearch } from 'wouter'
import { parseTraceViewSearch, serializeTraceViewSearch, traceHref } from '../../lib/trace-url'
import { useTraceViewStore } from '../../stores/trace-view-store'

export function useTraceViewUrl(traceId: string): void {
  const search = useSearch()
  const [, navigate] = useLocation()
  const searchRef = useRef(search)
  searchRef.current = search

  useEffect(() => {
    useTraceViewStore.getState().openTrace(traceId, parseTraceViewSearch(search))
  }, [traceId, search])

  useEffect(
    () =>
      useTraceViewStore.subscribe((state, prev) => {
        if (state.traceId !== traceId) return
        if (state.selectedSpanId === prev.selectedSpanId && state.panel === prev.panel) return
        const wanted = { spanId: state.selectedSpanId, tab: state.panel }
        if (serializeTraceViewSearch(wanted) === serializeTraceViewSearch(parseTraceViewSearch(searchRef.current)))
          return
        navigate(traceHref(traceId, wanted), { replace: true })
      }),
    [traceId, navigate],
  )
}
