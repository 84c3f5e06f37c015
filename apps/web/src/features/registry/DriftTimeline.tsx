/** Drift events on a timeline (newest first, by day), each with its diff. */
import { useState } from 'react'
import type { RegistryEvent } from '@sightline/schema'
import { formatTimestamp } from '../../lib/format'

const DRIFT_LABELS: Record<RegistryEvent['kind'], string> = {
  agent_version: 'New version',
  card_changed: 'Card changed',
  tool_schema_changed: 'Schema changed',
  tool_disappeared: 'Tool gone',
  new_tool_call: 'New tool call',
}

const show = (value: unknown) =>
  value === null || value === undefined ? '∅' : typeof value === 'string' ? value : JSON.stringify(value)

function Event({ event }: { event: RegistryEvent }) {
  const [open, setOpen] = useState(false)
  return (
    <article className="drift-event" data-kind={event.kind} data-subject={event.subject}>
      <header>
        <span className="mono small muted">{formatTimestamp(event.at)}</span>
        <span
          className={`pill${event.kind === 'tool_disappeared' || event.kind === 'tool_schema_changed' ? ' warn' : ''}`}
        >
          {DRIFT_LABELS[event.kind]}
        </span>
        <strong>{event.subject}</strong>
        <span>{event.summary}</span>
        <span className="spacer" />
        <button className="btn small" onClick={() => setOpen(!open)}>
          {open ? 'Hide diff' : `Diff (${event.diff.changes.length})`}
        </button>
      </header>
      {open && (
        <table className="grid diff" aria-label={`Diff of ${event.subject}`}>
          <thead>
            <tr>
              <th>Path</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {event.diff.changes.map((c) => (
              <tr key={c.path}>
                <td>{c.path}</td>
                <td className="before">{show(c.before)}</td>
                <td className="after">{show(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  )
}

export function DriftTimeline({ events }: { events: RegistryEvent[] }) {
  let day = ''
  return (
    <div className="drift" aria-label="Drift timeline">
      {events.map((e) => {
        const d = e.at.slice(0, 10)
        const head = d !== day ? <div className="drift-day">{d}</div> : null
        day = d
        return (
          <div key={e.id}>
            {head}
            <Event event={e} />
          </div>
        )
      })}
    </div>
  )
}
