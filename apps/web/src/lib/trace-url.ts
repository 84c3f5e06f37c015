/**
 * The trace view's shareable state as URL search params: the selected span and the view tab, so a
 * link opens the trace at that span (`/traces/<id>?span=<spanId>&tab=graph`). The tree and the
 * waterfall are one view (`timeline`); `tab=tree` is read as it, so hand-written links still work.
 * Defaults stay out of the URL. Parsing is forgiving: junk falls back to the default.
 */
const TRACE_TABS = ['timeline', 'graph'] as const
export type TraceTab = (typeof TRACE_TABS)[number]

export interface TraceViewLocation {
  spanId: string | null
  tab: TraceTab
}

const SPAN_ID = /^[0-9a-f]{16}$/i

export function parseTraceViewSearch(search: string): TraceViewLocation {
  const p = new URLSearchParams(search)
  const span = p.get('span') ?? ''
  const tab = p.get('tab')
  return { spanId: SPAN_ID.test(span) ? span.toLowerCase() : null, tab: tab === 'graph' ? 'graph' : 'timeline' }
}

export function serializeTraceViewSearch(view: TraceViewLocation): string {
  const p = new URLSearchParams()
  if (view.spanId) p.set('span', view.spanId)
  if (view.tab !== 'timeline') p.set('tab', view.tab)
  return p.toString()
}

/** The trace view's path, optionally opened at a span and tab. */
export function traceHref(traceId: string, view: Partial<TraceViewLocation> = {}): string {
  const text = serializeTraceViewSearch({ spanId: view.spanId ?? null, tab: view.tab ?? 'timeline' })
  return text ? `/traces/${traceId}?${text}` : `/traces/${traceId}`
}
