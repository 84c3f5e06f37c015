// @vitest-environment happy-dom
import type { Series } from '@sightline/schema'
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { formatCost } from '../../lib/format'
import { seriesToChart } from './chart-data'
import { SplitTotals } from './SplitTotals'

afterEach(cleanup)

const series = (key: string, total: number, isOther = false): Series => ({
  key,
  isOther,
  total,
  points: [{ t: '2026-03-10T10:00:00.000Z', value: total }],
})

describe('split totals', () => {
  it('names the unattributed share, keeps it, and adds every share up to the total', () => {
    const data = seriesToChart(
      [series('planner', 0.5), series('', 0.1), series('coder', 0.25), series('', 0.15, true)],
      'agent',
    )
    render(<SplitTotals data={data} format={formatCost} dimension="agent" />)
    const list = screen.getByRole('list', { name: 'Totals by agent' })
    const items = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(items).toEqual([
      'planner $0.5000 50%',
      'unattributed $0.1000 10%',
      'coder $0.2500 25%',
      'Other $0.1500 15%',
      '= total $1.00',
    ])
    expect(within(list).getByText('unattributed').closest('li')?.getAttribute('title')).toBe(
      'No agent is attributed to this share',
    )
  })

  it('shows nothing for an empty split', () => {
    const { container } = render(
      <SplitTotals data={seriesToChart([series('', 0)], 'agent')} format={formatCost} dimension="agent" />,
    )
    expect(container.innerHTML).toBe('')
  })
})
