import { beforeEach, describe, expect, it } from 'vitest'
import { newInitialState, useTraceViewStore } from './trace-view-store'

describe('trace-view-store', () => {
  beforeEach(() => useTraceViewStore.setState(newInitialState()))

  it('resets selection and collapse state when another trace opens', () => {
    const s = useTraceViewStore.getState()
    s.openTrace('t1')
    s.selectSpan('a')
    s.toggleCollapsed('a')
    useTraceViewStore.getState().openTrace('t1')
    expect(useTraceViewStore.getState().selectedSpanId).toBe('a')
    useTraceViewStore.getState().openTrace('t2')
    expect(useTraceViewStore.getState()).toMatchObject({ traceId: 't2', selectedSpanId: null, isInspectorOpen: false })
    expect(useTraceViewStore.getState().collapsed.size).toBe(0)
  })

  it('toggles collapsed spans with a new set each time', () => {
    const before = useTraceViewStore.getState().collapsed
    useTraceViewStore.getState().toggleCollapsed('x')
    const after = useTraceViewStore.getState().collapsed
    expect(after).not.toBe(before)
    expect(after.has('x')).toBe(true)
    useTraceViewStore.getState().toggleCollapsed('x')
    expect(useTraceViewStore.getState().collapsed.has('x')).toBe(false)
    useTraceViewStore.getState().collapseAll(['a', 'b'])
    expect([...useTraceViewStore.getState().collapsed]).toEqual(['a', 'b'])
    useTraceViewStore.getState().expandAll()
    expect(useTraceViewStore.getState().collapsed.size).toBe(0)
  })

  it('opens the inspector on selection and closes it on deselection', () => {
    useTraceViewStore.getState().selectSpan('a')
    expect(useTraceViewStore.getState().isInspectorOpen).toBe(true)
    useTraceViewStore.getState().toggleInspector()
    expect(useTraceViewStore.getState().isInspectorOpen).toBe(false)
    useTraceViewStore.getState().selectSpan('b', false)
    expect(useTraceViewStore.getState().isInspectorOpen).toBe(false)
    useTraceViewStore.getState().selectSpan(null)
    expect(useTraceViewStore.getState().isInspectorOpen).toBe(false)
  })
})

describe('trace-view-store and the URL', () => {
  beforeEach(() => useTraceViewStore.setState(newInitialState()))

  it('opens a trace at the span and tab the URL names, with the inspector open', () => {
    useTraceViewStore.getState().openTrace('t1', { spanId: 'a'.repeat(16), tab: 'graph' })
    expect(useTraceViewStore.getState()).toMatchObject({
      traceId: 't1',
      selectedSpanId: 'a'.repeat(16),
      isInspectorOpen: true,
      panel: 'graph',
    })
  })

  it('follows a changed URL on the same trace but keeps what the URL does not hold', () => {
    const s = useTraceViewStore.getState()
    s.openTrace('t1', { spanId: null, tab: 'timeline' })
    s.toggleCollapsed('x')
    s.selectSpan('b', false)
    // The URL written back after a keyboard selection: nothing changes, the inspector stays closed.
    useTraceViewStore.getState().openTrace('t1', { spanId: 'b', tab: 'timeline' })
    expect(useTraceViewStore.getState()).toMatchObject({ selectedSpanId: 'b', isInspectorOpen: false })
    // A link to another span (or Back): select it and show it.
    useTraceViewStore.getState().openTrace('t1', { spanId: 'c', tab: 'graph' })
    expect(useTraceViewStore.getState()).toMatchObject({ selectedSpanId: 'c', isInspectorOpen: true, panel: 'graph' })
    expect(useTraceViewStore.getState().collapsed.has('x')).toBe(true)
  })
})
