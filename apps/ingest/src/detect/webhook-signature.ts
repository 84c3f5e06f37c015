import { createHmac, randomBytes } from 'node:crypto'

/**
 * Webhook signing. The HMAC key is the secret string exactly as shown to the user (GitHub's
 * convention), so receivers paste it as is.
 * - `X-Hub-Signature-256: sha256=<hex HMAC(body)>`: what GitHub-style receivers already verify.
 * - `X-Sightline-Signature: t=<unix seconds>,v1=<hex HMAC("<t>.<body>")>`: the timestamp is signed
 *   too, so a receiver that rejects old `t` values also rejects replayed deliveries.
 */
export const WEBHOOK_ID_HEADER = 'X-Sightline-Webhook-Id'
export const DELIVERY_ID_HEADER = 'X-Sightline-Delivery'
const HUB_SIGNATURE_HEADER = 'X-Hub-Signature-256'
const SIGNATURE_HEADER = 'X-Sightline-Signature'

/** 32 random bytes; the prefix makes a leaked secret easy to recognise (and to scan for). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`

const hmacHex = (secret: string, data: string) => createHmac('sha256', secret).update(data, 'utf8').digest('hex')

export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const t = Math.floor(nowMs / 1000)
  return {
    [HUB_SIGNATURE_HEADER]: `sha256=${hmacHex(secret, body)}`,
    [SIGNATURE_HEADER]: `t=${t},v1=${hmacHex(secret, `${t}.${body}`)}`,
  }
}
