/**
 * Alert webhooks: add, list, rotate the signing secret of, and delete Slack-compatible URLs (one
 * notice per episode open / resolve). The server refuses private and loopback targets and says
 * why; that message is shown as is.
 */
import { WebhookUrlSchema, type Webhook } from '@sightline/schema'
import { useState, type FormEvent } from 'react'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { formatTimestamp } from '../../lib/format'
import { anomalyApi } from './anomaly-api'
import { WebhookSecretNotice, type RevealedSecret } from './WebhookSecretNotice'

export function WebhookPanel() {
  const hooks = useQuery('webhooks', (signal) => anomalyApi.listWebhooks(signal))
  const [url, setUrl] = useState('')
  const [error, setError] = useState('')
  const [info, setInfo] = useState('')
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null)
  const [isBusy, setBusy] = useState(false)
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true)
    setError('')
    setInfo('')
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
    const added = await run(async () => {
      const { webhook, secret } = await anomalyApi.addWebhook(parsed.data)
      if (secret) setRevealed({ url: webhook.url, secret, isRotation: false })
      else setInfo(`${webhook.url} is already registered; rotate its secret if you need it again.`)
    })
    if (added) setUrl('')
  }
  const rotate = (w: Webhook) =>
    run(async () => {
      const { webhook, secret } = await anomalyApi.rotateWebhookSecret(w.id)
      setRevealed({ url: webhook.url, secret, isRotation: true })
    })
  const remove = (w: Webhook) =>
    run(async () => {
      await anomalyApi.removeWebhook(w.id)
      if (revealed?.url === w.url) setRevealed(null)
    })
  return (
    <section className="card webhooks" aria-label="Alert webhooks">
      <div className="card-head">
        <h3>Alert webhooks</h3>
        <span className="muted small">
          Slack-compatible and signed: a message when an incident opens, escalates and recovers
        </span>
      </div>
      <form className="webhook-form" onSubmit={add}>
        <input
          aria-label="Webhook URL"
          placeholder="https://hooks.slack.com/services/…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button className="btn primary" disabled={isBusy || url.trim() === ''}>
          Add webhook
        </button>
      </form>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {info && (
        <div className="muted small" role="status">
          {info}
        </div>
      )}
      {revealed && <WebhookSecretNotice key={revealed.secret} revealed={revealed} onDone={() => setRevealed(null)} />}
      {hooks.error ? (
        <ErrorState error={hooks.error} onRetry={hooks.reload} />
      ) : !hooks.data ? (
        <Loading label="Loading webhooks…" />
      ) : hooks.data.length === 0 ? (
        <div className="muted small">No webhooks yet: incidents only show here.</div>
      ) : (
        <table className="grid" aria-label="Webhooks">
          <tbody>
            {hooks.data.map((w) => (
              <tr key={w.id}>
                <td>
                  <div className="mono">{w.url}</div>
                  <div className="muted small">
                    added {formatTimestamp(w.createdAt)} ·{' '}
                    {w.signed ? (
                      <span className="pill ok">signed</span>
                    ) : (
                      <>
                        <span className="pill err">unsigned</span> created before signing: rotate its secret so
                        receivers can verify it
                      </>
                    )}
                  </div>
                </td>
                <td className="num nowrap">
                  <button
                    className="btn small"
                    disabled={isBusy}
                    aria-label={`Rotate the secret of ${w.url}`}
                    onClick={() => rotate(w)}
                  >
                    Rotate secret
                  </button>{' '}
                  <button
                    className="btn small"
                    disabled={isBusy}
                    aria-label={`Delete ${w.url}`}
                    onClick={() => remove(w)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
