/** Acknowledge, snooze (with its length), resolve, reopen: whatever the incident's state allows. */
import type { Incident, IncidentAction } from '@sightline/schema'
import { useState } from 'react'
import { incidentApi } from './incident-api'
import { availableActions, SNOOZE_CHOICES } from './incident-view'

export function IncidentActions({
  incident,
  onChanged,
}: {
  incident: Incident
  onChanged: (incident: Incident) => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(undefined)
  const [snoozeMinutes, setSnoozeMinutes] = useState(SNOOZE_CHOICES[1]!.minutes)
  const can = availableActions(incident)
  const act = async (action: IncidentAction, minutes?: number) => {
    setBusy(true)
    setError(undefined)
    try {
      onChanged(await incidentApi.act(incident.id, action, minutes))
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="incident-actions" role="group" aria-label="Incident actions">
      {can.acknowledge && (
        <button className="btn" disabled={busy} onClick={() => void act('acknowledge')}>
          Acknowledge
        </button>
      )}
      {can.snooze && (
        <span className="snooze">
          <select
            aria-label="Snooze for"
            value={snoozeMinutes}
            disabled={busy}
            onChange={(e) => setSnoozeMinutes(Number(e.target.value))}
          >
            {SNOOZE_CHOICES.map((c) => (
              <option key={c.minutes} value={c.minutes}>
                {c.label}
              </option>
            ))}
          </select>
          <button className="btn" disabled={busy} onClick={() => void act('snooze', snoozeMinutes)}>
            Snooze
          </button>
        </span>
      )}
      {can.resolve && (
        <button className="btn" disabled={busy} onClick={() => void act('resolve')}>
          Resolve
        </button>
      )}
      {can.reopen && (
        <button className="btn" disabled={busy} onClick={() => void act('reopen')}>
          Reopen
        </button>
      )}
      {error && (
        <span className="incident-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
