/** Alert webhooks: add, list and delete Slack-compatible URLs (one notice per episode open / resolve). */
import { WebhookUrlSchema } from '@sightline/schema'
import { useState, type FormEvent } from 'react'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { formatTimestamp } from '../../lib/format'
import { anomalyApi } from './anomaly-api'

export function WebhookPanel() {
  const hooks = useQuery('webhooks', (signal) => anomalyApi.listWebhooks(signal))
  const [url, setUrl] = useState('')
  const [error, setError] = useState('')
  const [isBusy, setBusy] = useState(false)
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true)
    setError('')
    try {
      await action()
      hooks.reload()
      return true
    } catch (err) {
      setError((err as Error).message)
      return false
    } finally {
      setBusy(false)
    }
  }
  const add = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = WebhookUrlSchema.safeParse(url.trim())
    if (!parsed.success) return setError(`Webhook URL ${parsed.error.issues[0]?.message ?? 'is invalid'}.`)
    if (await run(() => anomalyApi.addWebhook(parsed.data))) setUrl('')
  }
  return (
    <section className="card webhooks" aria-label="Alert webhooks">
      <div className="card-head"><h3>Alert webhooks</h3><span className="muted small">Slack-compatible: a message when an anomaly opens and when it resolves</span></div>
      <form className="webhook-form" onSubmit={add}>
        <input aria-label="Webhook URL" placeholder="https://hooks.slack.com/services/…" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button className="btn primary" disabled={isBusy || url.trim() === ''}>Add webhook</button>
      </form>
      {error && <div className="form-error" role="alert">{error}</div>}
      {hooks.error ? (
        <ErrorState error={hooks.error} onRetry={hooks.reload} />
      ) : !hooks.data ? (
        <Loading label="Loading webhooks…" />
      ) : hooks.data.length === 0 ? (
        <div className="muted small">No webhooks yet: anomalies only show here.</div>
      ) : (
        <table className="grid" aria-label="Webhooks">
          <tbody>
            {hooks.data.map((w) => (
              <tr key={w.id}>
                <td><div className="mono">{w.url}</div><div className="muted small">added {formatTimestamp(w.createdAt)}</div></td>
                <td className="num"><button className="btn small" disabled={isBusy} aria-label={`Delete ${w.url}`} onClick={() => run(() => anomalyApi.removeWebhook(w.id))}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
