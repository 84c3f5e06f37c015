/**
 * A webhook's signing secret, shown once right after it was made (creation or rotation): the
 * server never returns it again, so this notice stays until the user dismisses it.
 */
import { useState } from 'react'

export interface RevealedSecret {
  url: string
  secret: string
  isRotation: boolean
}

export function WebhookSecretNotice({ revealed, onDone }: { revealed: RevealedSecret; onDone: () => void }) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(revealed.secret)
      setCopyState('copied')
    } catch {
      setCopyState('failed')
    }
  }
  return (
    <div className="secret-once notice" role="region" aria-label="Webhook signing secret">
      <div>
        <strong>{revealed.isRotation ? 'New signing secret' : 'Signing secret'}</strong> for{' '}
        <span className="mono">{revealed.url}</span>
        {revealed.isRotation && '; the previous one no longer verifies'}. Shown only now: store it where your receiver
        checks the signature headers (see README, Alert webhooks).
      </div>
      <div className="secret-row">
        <code className="mono" aria-label="Secret">
          {revealed.secret}
        </code>
        <button className="btn small" type="button" onClick={copy}>
          {copyState === 'copied' ? 'Copied' : 'Copy'}
        </button>
        <button className="btn small" type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copyState === 'failed' && (
        <div className="muted small">Copy is not available here: select the secret and copy it.</div>
      )}
    </div>
  )
}
