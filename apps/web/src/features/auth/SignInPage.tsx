import { useState, type FormEvent } from 'react'
import type { SessionResponse } from '@sightline/schema'
import { Link, useLocation, useSearch } from 'wouter'
import { api } from '../../api/client'

/**
 * Trades a project key for the session cookie; the key never touches JS storage or URLs. While
 * signed in (`session`), another project's key adds that project to the session.
 */
export function SignInPage({
  session,
  onSignedIn,
}: {
  session: SessionResponse | undefined
  onSignedIn: (session: SessionResponse) => void
}) {
  const [, navigate] = useLocation()
  const search = useSearch()
  const [apiKey, setApiKey] = useState('')
  const [error, setError] = useState('')
  const [isBusy, setBusy] = useState(false)
  const isAdding = session !== undefined

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      const next = await api.signIn(apiKey.trim())
      if (isAdding) {
        // A new current project: nothing loaded for the previous one may stay on screen.
        window.location.assign('/traces')
        return
      }
      onSignedIn(next)
      const target = new URLSearchParams(search).get('next')
      // Only same-site paths: `next` comes from the URL and must not become an open redirect.
      navigate(
        target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/signin')
          ? target
          : '/traces',
      )
    } catch (e) {
      setError((e as Error).message.replace(/^Failed to sign in: /, ''))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="signin">
      <form className="signin-card" onSubmit={submit}>
        <h1>◉ Sightline</h1>
        <p className="muted">
          {isAdding
            ? "Add a project: sign in with that project's API key. You keep access to the projects you have."
            : "Sign in with your project's API key."}
        </p>
        <label htmlFor="api-key">Project API key</label>
        <input
          id="api-key"
          name="apiKey"
          type="password"
          autoComplete="current-password"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          autoFocus
          required
        />
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        <button className="btn primary" type="submit" disabled={isBusy || !apiKey.trim()}>
          {isBusy ? 'Signing in…' : isAdding ? 'Add project' : 'Sign in'}
        </button>
        {isAdding && (
          <Link href="/traces">
            Back to {session.projects.find((p) => p.id === session.projectId)?.name ?? 'the console'}
          </Link>
        )}
      </form>
    </div>
  )
}
