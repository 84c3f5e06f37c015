import { beforeEach, describe, expect, it } from 'vitest'
import { newInitialState, useCompareSelectionStore } from './compare-selection-store'

describe('compare-selection-store', () => {
  beforeEach(() => useCompareSelectionStore.setState(newInitialState()))

  it('keeps the two most recently ticked traces', () => {
    const { toggleTrace } = useCompareSelectionStore.getState()
    toggleTrace('a')
    toggleTrace('b')
    toggleTrace('c')
    expect(useCompareSelectionStore.getState().traceIds).toEqual(['b', 'c'])
    toggleTrace('b')
    expect(useCompareSelectionStore.getState().traceIds).toEqual(['c'])
    useCompareSelectionStore.getState().clearSelection()
    expect(useCompareSelectionStore.getState().traceIds).toEqual([])
  })
})
