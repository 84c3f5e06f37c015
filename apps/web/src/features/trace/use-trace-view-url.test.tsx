// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Router } from 'wouter'
import { memoryLocation } from 'wouter/memory-location'
import { testTrace } from '../../../test/trace-summary-factory'
import { newInitialState, useTraceViewStore } from '../../stores/trace-view-store'
import { TraceHeader } from './TraceHeader'
import { useTraceViewUrl } from './use-trace-view-url'

const TRACE = 'ab'.repeat(16)
const FAILED = 'f'.repeat(16)
const OTHER = 'c'.repeat(16)

function Harness() {
  useTraceViewUrl(TRACE)
  const failed = testTrace({
    traceId: TRACE,
    outcome: 'failed',
    failureReason: 'coder: run_code failed',
    failureSpanId: FAILED,
  })
  return <TraceHeader trace={failed} />
}

function mount(path: string) {
  const location = memoryLocation({ path, record: true })
  render(
    <Router hook={location.hook} searchHook={location.searchHook}>
      <Harness />
    </Router>,
  )
  return location
}

beforeEach(() => useTraceViewStore.setState(newInitialState()))
afterEach(cleanup)

describe('trace view URL state', () => {
  it('opens the trace at the span and tab a link names', () => {
    mount(`/traces/${TRACE}?span=${OTHER}&tab=graph`)
    expect(useTraceViewStore.getState()).toMatchObject({
      traceId: TRACE,
      selectedSpanId: OTHER,
      isInspectorOpen: true,
      panel: 'graph',
    })
  })

  it('writes a selection made on the page back to the URL (replacing, not pushing)', () => {
    const location = mount(`/traces/${TRACE}`)
    act(() => useTraceViewStore.getState().selectSpan(OTHER))
    expect(location.history.at(-1)).toBe(`/traces/${TRACE}?span=${OTHER}`)
    act(() => useTraceViewStore.getState().setPanel('graph'))
    expect(location.history.at(-1)).toBe(`/traces/${TRACE}?span=${OTHER}&tab=graph`)
    expect(location.history).toHaveLength(1)
  })

  it("selects the failure span from the header's failure reason", () => {
    const location = mount(`/traces/${TRACE}`)
    const reason = screen.getByRole('link', { name: 'coder: run_code failed' })
    expect(reason.getAttribute('href')).toBe(`/traces/${TRACE}?span=${FAILED}`)
    fireEvent.click(reason)
    expect(location.history.at(-1)).toBe(`/traces/${TRACE}?span=${FAILED}`)
    expect(useTraceViewStore.getState()).toMatchObject({ selectedSpanId: FAILED, isInspectorOpen: true })
    expect(screen.getByText('Export as regression test')).toBeTruthy()
  })

  it('ignores a span id that is not one, and keeps defaults out of the URL', () => {
    const location = mount(`/traces/${TRACE}?span=<script>&tab=nope`)
    expect(useTraceViewStore.getState()).toMatchObject({ selectedSpanId: null, panel: 'timeline' })
    act(() => useTraceViewStore.getState().selectSpan(null))
    expect(location.history).toEqual([`/traces/${TRACE}?span=<script>&tab=nope`])
  })
})
