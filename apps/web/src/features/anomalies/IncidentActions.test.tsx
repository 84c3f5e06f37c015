// @vitest-environment happy-dom
import type { Incident } from '@sightline/schema'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IncidentActions } from './IncidentActions'
import { incidentApi } from './incident-api'
import { incidentFixture } from './incident.fixture'

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const incident: Incident = { ...incidentFixture, explanation: 'cost per trace 4.1× baseline since 11:40 UTC' }

const buttons = () => screen.getAllByRole('button').map((b) => b.textContent)

describe('incident actions', () => {
  it('offers what an open incident allows and snoozes for the length picked, busy until the answer', async () => {
    let answer: (i: Incident) => void = () => undefined
    const act = vi
      .spyOn(incidentApi, 'act')
      .mockImplementation(() => new Promise<Incident>((resolve) => (answer = resolve)))
    const changed = vi.fn()
    render(<IncidentActions incident={incident} onChanged={changed} />)
    expect(buttons()).toEqual(['Acknowledge', 'Snooze', 'Resolve'])
    const length = screen.getByRole('combobox', { name: 'Snooze for' }) as HTMLSelectElement
    expect(length.value).toBe('120')
    fireEvent.change(length, { target: { value: '480' } })
    fireEvent.click(screen.getByRole('button', { name: 'Snooze' }))
    expect(act).toHaveBeenCalledWith(incident.id, 'snooze', 480)
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resolve' })).toHaveProperty('disabled', true))
    const snoozed = { ...incident, status: 'snoozed' as const, snoozedUntil: '2026-03-10T20:00:00.000Z' }
    answer(snoozed)
    await waitFor(() => expect(changed).toHaveBeenCalledWith(snoozed))
    expect(screen.getByRole('button', { name: 'Resolve' })).toHaveProperty('disabled', false)
  })

  it('offers only reopening a resolved incident', () => {
    render(<IncidentActions incident={{ ...incident, status: 'resolved' }} onChanged={() => undefined} />)
    expect(buttons()).toEqual(['Reopen'])
    expect(screen.queryByRole('combobox')).toBeNull()
  })

  it('shows why an action was refused and lets the user try again', async () => {
    vi.spyOn(incidentApi, 'act').mockRejectedValue(new Error('409: the incident was resolved meanwhile'))
    const changed = vi.fn()
    render(<IncidentActions incident={incident} onChanged={changed} />)
    fireEvent.click(screen.getByRole('button', { name: 'Acknowledge' }))
    expect((await screen.findByRole('alert')).textContent).toBe('409: the incident was resolved meanwhile')
    expect(changed).not.toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Acknowledge' })).toHaveProperty('disabled', false)
  })
})
