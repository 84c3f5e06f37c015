/**
 * UI state of the trace view: which span is selected, which subtrees are collapsed, whether the
 * inspector is open and which panel (timeline or agent graph) shows.
 *
 * Writers: use-trace-view-url (openTrace on every route or search change, with the URL's span and
 * tab), SpanRows (selectSpan, toggle via click and keyboard), the tabs (setPanel), SpanInspector
 * (closeInspector). The trace itself is server data held by the page's query, never here. The URL
 * is the source of truth for the trace, the selected span and the panel (a link reproduces them):
 * `openTrace` resets everything when the trace changes and adopts the URL's span and tab; the hook
 * writes selections made here back to the URL.
 */
import { create } from 'zustand'
import type { TraceTab, TraceViewLocation } from '../lib/trace-url'

type TracePanel = TraceTab

export interface TraceViewState {
  traceId: string | null
  selectedSpanId: string | null
  isInspectorOpen: boolean
  /** Span ids whose children are hidden. A new Set on every change, so selectors see a new value. */
  collapsed: ReadonlySet<string>
  panel: TracePanel
}

export interface TraceViewActions {
  openTrace: (traceId: string, location?: TraceViewLocation) => void
  selectSpan: (spanId: string | null, openInspector?: boolean) => void
  toggleInspector: () => void
  closeInspector: () => void
  toggleCollapsed: (spanId: string) => void
  setCollapsed: (spanId: string, isCollapsed: boolean) => void
  collapseAll: (spanIds: readonly string[]) => void
  expandAll: () => void
  setPanel: (panel: TracePanel) => void
}

export function newInitialState(): TraceViewState {
  return { traceId: null, selectedSpanId: null, isInspectorOpen: false, collapsed: new Set(), panel: 'timeline' }
}

/**
 * Pure: the state after the route shows `traceId` at `location`. Another trace starts over; the same
 * trace takes the URL's span (opening the inspector when it names a new one) and tab.
 */
function openTrace(state: TraceViewState, traceId: string, location?: TraceViewLocation): TraceViewState {
  if (state.traceId !== traceId) {
    const at = location ?? { spanId: null, tab: 'timeline' }
    return {
      ...newInitialState(),
      traceId,
      selectedSpanId: at.spanId,
      isInspectorOpen: at.spanId !== null,
      panel: at.tab,
    }
  }
  if (!location) return state
  const isNewSpan = state.selectedSpanId !== location.spanId
  if (!isNewSpan && state.panel === location.tab) return state
  return {
    ...state,
    selectedSpanId: location.spanId,
    isInspectorOpen: isNewSpan ? location.spanId !== null : state.isInspectorOpen,
    panel: location.tab,
  }
}

/** Pure: flips one span's collapsed flag. */
function toggleCollapsed(state: Pick<TraceViewState, 'collapsed'>, spanId: string): Pick<TraceViewState, 'collapsed'> {
  return setCollapsed(state, spanId, !state.collapsed.has(spanId))
}

function setCollapsed(
  state: Pick<TraceViewState, 'collapsed'>,
  spanId: string,
  isCollapsed: boolean,
): Pick<TraceViewState, 'collapsed'> {
  if (state.collapsed.has(spanId) === isCollapsed) return state
  const collapsed = new Set(state.collapsed)
  if (isCollapsed) collapsed.add(spanId)
  else collapsed.delete(spanId)
  return { collapsed }
}

export const useTraceViewStore = create<TraceViewState & TraceViewActions>((set) => ({
  ...newInitialState(),
  openTrace: (traceId, location) => set((s) => openTrace(s, traceId, location)),
  selectSpan: (spanId, openInspector = true) =>
    set((s) => ({ selectedSpanId: spanId, isInspectorOpen: spanId !== null && (openInspector || s.isInspectorOpen) })),
  toggleInspector: () => set((s) => ({ isInspectorOpen: s.selectedSpanId !== null && !s.isInspectorOpen })),
  closeInspector: () => set({ isInspectorOpen: false }),
  toggleCollapsed: (spanId) => set((s) => toggleCollapsed(s, spanId)),
  setCollapsed: (spanId, isCollapsed) => set((s) => setCollapsed(s, spanId, isCollapsed)),
  collapseAll: (spanIds) => set({ collapsed: new Set(spanIds) }),
  expandAll: () => set({ collapsed: new Set() }),
  setPanel: (panel) => set({ panel }),
}))
