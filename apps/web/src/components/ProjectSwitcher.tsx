/**
 * Which project the console shows, and the others the session holds a key for. Switching reloads
 * the console on /traces: every page's data, cached responses and selections belong to one project.
 */
import { useState } from 'react'
import type { SessionResponse } from '@sightline/schema'
import { api } from '../api/client'

const ADD = '__add__'

export function ProjectSwitcher({ session }: { session: SessionResponse }) {
  const [error, setError] = useState('')
  const [isBusy, setBusy] = useState(false)
  const current = session.projects.find((p) => p.id === session.projectId)

  const choose = async (value: string) => {
    if (value === ADD) {
      window.location.assign('/signin?add=1')
      return
    }
    setBusy(true)
    setError('')
    try {
      await api.switchProject(value)
      window.location.assign('/traces')
    } catch (e) {
      setError((e as Error).message)
      setBusy(false)
    }
  }

  return (
    <div className="project-switcher">
      <label htmlFor="project-switcher">Project</label>
      <select
        id="project-switcher"
        value={session.projectId}
        disabled={isBusy}
        title={current ? `${current.name} (${current.id})` : session.projectId}
        onChange={(e) => void choose(e.target.value)}
      >
        {session.projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        {session.kind === 'session' && <option value={ADD}>Add a project…</option>}
      </select>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
