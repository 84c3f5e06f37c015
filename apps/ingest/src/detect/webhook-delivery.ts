import { randomUUID } from 'node:crypto'
import { guardedPost } from '../net/guarded-post.js'
import { OutboundTargetError, type OutboundGuard } from '../net/outbound-guard.js'
import type { WebhookTarget } from '../db/repositories/webhooks.js'
import { DELIVERY_ID_HEADER, signatureHeaders, WEBHOOK_ID_HEADER } from './webhook-signature.js'

export interface DeliveryOptions {
  timeoutMs: number
  retries: number
  backoffMs: number
  /** Enough for any receiver's error text; a receiver streaming more is cut off. */
  maxResponseBytes: number
}

const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  timeoutMs: 5_000,
  retries: 3,
  backoffMs: 500,
  maxResponseBytes: 64 * 1024,
}

/** A delivery that failed for good; the message says why (status, refusal, last network error), never the secret. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}

type Attempt = { ok: true } | { ok: false; retryable: boolean; reason: string }

/**
 * Sends one JSON body to one webhook target: signed when the target has a secret, through the
 * outbound guard (checked address, no redirects, time-out, capped read). Retries network errors,
 * time-outs, 429 and 5xx with exponential back-off; 3xx, other 4xx and refused targets are final.
 * Knows nothing about anomalies, so any alert source can use it.
 */
export class WebhookDelivery {
  constructor(
    private readonly guard: OutboundGuard,
    private readonly options: DeliveryOptions = DEFAULT_DELIVERY_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  async deliver(target: WebhookTarget, body: string): Promise<void> {
    if (target.secretError) throw new DeliveryError(`not sent: ${target.secretError}`, 0)
    // One id for all attempts, so a receiver can drop a retry it already processed.
    const deliveryId = randomUUID()
    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(target, body, deliveryId)
      if (result.ok) return
      if (!result.retryable || attempt >= this.options.retries) throw new DeliveryError(result.reason, attempt + 1)
      await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs * 2 ** attempt))
    }
  }

  private async attempt(target: WebhookTarget, body: string, deliveryId: string): Promise<Attempt> {
    // Signed per attempt: a retry after back-off carries a fresh timestamp, within the receiver's tolerance.
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Sightline-Webhook/1',
      [WEBHOOK_ID_HEADER]: target.id,
      [DELIVERY_ID_HEADER]: deliveryId,
      ...(target.secret === null ? {} : signatureHeaders(target.secret, body, this.now())),
    }
    try {
      const res = await guardedPost(this.guard, target.url, body, headers, {
        timeoutMs: this.options.timeoutMs,
        maxResponseBytes: this.options.maxResponseBytes,
      })
      if (res.status >= 200 && res.status < 300) return { ok: true }
      const detail = res.bodyStart.trim().slice(0, 200)
      if (res.status >= 300 && res.status < 400)
        return {
          ok: false,
          retryable: false,
          reason: `webhook answered ${res.status} (redirect to ${res.location ?? 'nowhere'} not followed)`,
        }
      return {
        ok: false,
        retryable: res.status === 429 || res.status >= 500,
        reason: `webhook answered ${res.status}${detail ? `: ${detail}` : ''}`,
      }
    } catch (err) {
      if (err instanceof OutboundTargetError)
        return { ok: false, retryable: err.kind !== 'refused', reason: err.message }
      const code = (err as NodeJS.ErrnoException).code
      return {
        ok: false,
        retryable: true,
        reason: `webhook unreachable: ${code ? `${code} ` : ''}${(err as Error).message}`,
      }
    }
  }
}
