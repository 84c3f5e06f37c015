import { useState, type FormEvent } from 'react'
import { useLocation, useSearch } from 'wouter'
import { api } from '../../api/client'

/** Trades the project key for the session cookie; the key never touches JS storage or URLs. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [, navigate] = useLocation()
  const search = useSearch()
  const [apiKey, setApiKey] = useState('')
  const [error, setError] = useState('')
  const [isBusy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      await api.signIn(apiKey.trim())
      onSignedIn()
      const next = new URLSearchParams(search).get('next')
      // Only same-site paths: `next` comes from the URL and must not become an open redirect.
      navigate(next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') ? next : '/traces')
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
        <p className="muted">Sign in with your project's API key.</p>
        <label htmlFor="api-key">Project API key</label>
        <input id="api-key" name="apiKey" type="password" autoComplete="current-password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoFocus required />
        {error && <div className="form-error" role="alert">{error}</div>}
        <button className="btn primary" type="submit" disabled={isBusy || !apiKey.trim()}>{isBusy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>
  )
}
