// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { testTrace } from '../../test/trace-summary-factory'
import { TraceStoryCell } from '../features/explorer/TraceTable'
import { OutcomePill, OutcomeReasonText, TagChips } from './TraceStory'

afterEach(cleanup)

const FAILED_SPAN = 'f'.repeat(16)
const FIRST_ERROR = 'e'.repeat(16)

describe('outcome pill and reason', () => {
  it('shows a failed trace with its failure reason, linking to the failure span', () => {
    const trace = testTrace({
      outcome: 'failed',
      failureReason: 'run_code: division by zero',
      failureSpanId: FAILED_SPAN,
      firstError: { spanId: FIRST_ERROR, message: 'timeout' },
    })
    render(
      <>
        <OutcomePill outcome={trace.outcome} />
        <OutcomeReasonText trace={trace} />
      </>,
    )
    expect(screen.getByText('failed').getAttribute('data-outcome')).toBe('failed')
    const link = screen.getByRole('link', { name: 'run_code: division by zero' })
    expect(link.getAttribute('href')).toBe(`/traces/${trace.traceId}?span=${FAILED_SPAN}`)
  })

  it('shows the first error a recovered trace got over, and that a running trace still runs', () => {
    const recovered = testTrace({
      outcome: 'recovered',
      firstError: { spanId: FIRST_ERROR, message: 'upstream timeout' },
    })
    const { unmount } = render(<OutcomeReasonText trace={recovered} />)
    expect(screen.getByRole('link', { name: 'recovered from: upstream timeout' }).getAttribute('href')).toBe(
      `/traces/${recovered.traceId}?span=${FIRST_ERROR}`,
    )
    unmount()
    render(
      <>
        <OutcomePill outcome="running" />
        <OutcomeReasonText trace={testTrace({ outcome: 'running' })} />
      </>,
    )
    expect(screen.getByText('running').className).toContain('outcome-running')
    expect(screen.getByText('still running').tagName).toBe('SPAN')
    expect(screen.queryByRole('link')).toBeNull()
  })

  it('says nothing more for an ok trace', () => {
    const { container } = render(<OutcomeReasonText trace={testTrace()} />)
    expect(container.textContent).toBe('')
  })
})

describe('story cell', () => {
  it('shows the name, the input preview, the tags and a regression-run mark', () => {
    const trace = testTrace({
      name: '',
      rootAgent: 'support',
      inputPreview: 'Where is my order #1234?',
      tags: ['loop', 'recovered-retry'],
      isRegressionRun: true,
    })
    render(
      <table>
        <tbody>
          <tr>
            <td>
              <TraceStoryCell trace={trace} />
            </td>
          </tr>
        </tbody>
      </table>,
    )
    expect(screen.getByRole('link', { name: 'support' }).getAttribute('href')).toBe(`/traces/${trace.traceId}`)
    expect(screen.getByText('Where is my order #1234?')).toBeTruthy()
    expect(screen.getByText('loop').getAttribute('title')).toMatch(/same arguments/)
    expect(screen.getByText('recovered retry')).toBeTruthy()
    expect(screen.getByText('regression run')).toBeTruthy()
  })

  it('renders no tag chips without tags', () => {
    const { container } = render(<TagChips tags={[]} />)
    expect(container.innerHTML).toBe('')
  })
})
