// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { MultiPicker } from './MultiPicker'

afterEach(cleanup)

/** The picker as the filter bar holds it: the value lives in the parent. */
function Harness({ options, initial = [] }: { options: string[]; initial?: string[] }) {
  const [value, setValue] = useState(initial)
  return (
    <>
      <MultiPicker label="Agent" options={options} value={value} onChange={setValue} />
      <output aria-label="picked">{value.join(',')}</output>
    </>
  )
}

const picked = () => screen.getByRole('status', { name: 'picked' }).textContent
const open = () => fireEvent.click(screen.getByRole('button', { name: 'Agent filter' }))
const options = () =>
  within(screen.getByRole('listbox', { name: 'Agent' }))
    .getAllByRole('checkbox')
    .map((c) => c.closest('label')?.textContent?.trim())

describe('multi picker', () => {
  it('adds and removes values, and says on its button what is picked', () => {
    render(<Harness options={['planner', 'researcher', 'executor']} />)
    open()
    fireEvent.click(screen.getByRole('checkbox', { name: 'planner' }))
    expect(picked()).toBe('planner')
    expect(screen.getByRole('button', { name: 'Agent filter' }).textContent).toBe('Agent: planner ▾')
    fireEvent.click(screen.getByRole('checkbox', { name: 'executor' }))
    expect(screen.getByRole('button', { name: 'Agent filter' }).textContent).toBe('Agent: 2 ▾')
    fireEvent.click(screen.getByRole('checkbox', { name: 'planner' }))
    expect(picked()).toBe('executor')
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }))
    expect(picked()).toBe('')
  })

  it('keeps listing a value picked through the URL that the range has no facet for', () => {
    render(<Harness options={['planner']} initial={['retired-agent']} />)
    open()
    expect(options()).toEqual(['retired-agent', 'planner'])
    expect(screen.getByRole('checkbox', { name: 'retired-agent' })).toHaveProperty('checked', true)
  })

  it('filters a long list as the user types, says when nothing matches, and closes on Escape', () => {
    render(<Harness options={Array.from({ length: 12 }, (_, i) => `agent-${i}`)} />)
    open()
    const search = screen.getByPlaceholderText('Filter agent…')
    fireEvent.change(search, { target: { value: 'AGENT-1' } })
    expect(options()).toEqual(['agent-1', 'agent-10', 'agent-11'])
    fireEvent.change(search, { target: { value: 'nobody' } })
    expect(screen.getByText('No values in this time range')).toBeTruthy()
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(screen.queryByRole('listbox')).toBeNull()
  })
})
