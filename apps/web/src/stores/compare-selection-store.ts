/**
 * The traces ticked in the explorer for a side-by-side comparison (at most two; ticking a third
 * drops the oldest). Writer: the explorer table's checkboxes and its Compare button. It is a
 * scratch selection, so it is deliberately not in the URL; the compare page's URL (`?a=&b=`) is the
 * source of truth once the user opens it.
 */
import { create } from 'zustand'

export interface CompareSelectionState {
  traceIds: readonly string[]
}

export interface CompareSelectionActions {
  toggleTrace: (traceId: string) => void
  clearSelection: () => void
}

export function newInitialState(): CompareSelectionState {
  return { traceIds: [] }
}

/** Pure: adds or removes one id, keeping the two most recent. */
function toggleTrace(state: CompareSelectionState, traceId: string): CompareSelectionState {
  if (state.traceIds.includes(traceId)) return { traceIds: state.traceIds.filter((id) => id !== traceId) }
  return { traceIds: [...state.traceIds, traceId].slice(-2) }
}

export const useCompareSelectionStore = create<CompareSelectionState & CompareSelectionActions>((set) => ({
  ...newInitialState(),
  toggleTrace: (traceId) => set((s) => toggleTrace(s, traceId)),
  clearSelection: () => set(newInitialState()),
}))
