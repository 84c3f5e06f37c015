/**
 * UI state of the trace view: which span is selected, which subtrees are collapsed, whether the
 * inspector is open and which panel (timeline or agent graph) shows.
 *
 * Writers: TraceViewPage (openTrace on route change, setPanel), SpanRows (selectSpan, toggle via
 * click and keyboard), SpanInspector (closeInspector). The trace itself is server data held by the
 * page's query, never here; the route's trace id is the source of truth and `openTrace` resets
 * everything else when it changes.
 */
import { create } from 'zustand'

export type TracePanel = 'timeline' | 'graph'

export interface TraceViewState {
  traceId: string | null
  selectedSpanId: string | null
  isInspectorOpen: boolean
  /** Span ids whose children are hidden. A new Set on every change, so selectors see a new value. */
  collapsed: ReadonlySet<string>
  panel: TracePanel
}

export interface TraceViewActions {
  openTrace: (traceId: string) => void
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

/** Pure: flips one span's collapsed flag. */
export function toggleCollapsed(state: Pick<TraceViewState, 'collapsed'>, spanId: string): Pick<TraceViewState, 'collapsed'> {
  return setCollapsed(state, spanId, !state.collapsed.has(spanId))
}

export function setCollapsed(state: Pick<TraceViewState, 'collapsed'>, spanId: string, isCollapsed: boolean): Pick<TraceViewState, 'collapsed'> {
  if (state.collapsed.has(spanId) === isCollapsed) return state
  const collapsed = new Set(state.collapsed)
  if (isCollapsed) collapsed.add(spanId)
  else collapsed.delete(spanId)
  return { collapsed }
}

export const useTraceViewStore = create<TraceViewState & TraceViewActions>((set) => ({
  ...newInitialState(),
  openTrace: (traceId) => set((s) => (s.traceId === traceId ? s : { ...newInitialState(), traceId })),
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
