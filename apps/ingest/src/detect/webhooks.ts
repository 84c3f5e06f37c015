import type { AlertPayload, Anomaly } from '@sightline/schema'
import type { Logger } from '../logger.js'
import { DeliveryError, type WebhookDelivery } from './webhook-delivery.js'
import type { WebhookRepository } from './webhook-repository.js'

/**
 * Delivers Slack-compatible JSON to every target of the project. Fire-and-forget from the
 * detector's point of view (ingest never waits on it); `drain()` lets tests and shutdown wait.
 * Signing, the outbound guard, retries and back-off are `WebhookDelivery`'s.
 */
export class AlertNotifier {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'targets'>,
    private readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
  ) {}

  notify(projectId: string, event: AlertPayload['event'], anomaly: Anomaly): void {
    this.send(projectId, alertPayload(event, anomaly), { anomalyId: anomaly.id })
  }

  /** Sends any JSON payload to the project's targets; `context` goes into failure logs (ids only). */
  send(projectId: string, payload: object, context: Record<string, string>): void {
    const task = this.deliverAll(projectId, JSON.stringify(payload), context).catch((err: unknown) => {
      this.logger.warn('alert delivery failed', { projectId, ...context, err })
    })
    this.inFlight.add(task)
    void task.finally(() => this.inFlight.delete(task))
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private async deliverAll(projectId: string, body: string, context: Record<string, string>): Promise<void> {
    const targets = await this.webhooks.targets(projectId)
    await Promise.all(
      targets.map((target) =>
        this.delivery.deliver(target, body).catch((err: unknown) => {
          // Logged per target, by id: a webhook URL often carries a token in its path.
          const reason = err instanceof DeliveryError ? err.message : (err as Error).message
          const attempts = err instanceof DeliveryError ? err.attempts : undefined
          this.logger.warn('alert delivery failed', { projectId, ...context, webhookId: target.id, attempts, reason })
        }),
      ),
    )
  }
}

export function alertPayload(event: AlertPayload['event'], anomaly: Anomaly): AlertPayload {
  const where = anomaly.dimension === 'total' ? 'project total' : `${anomaly.dimension} ${anomaly.value}`
  const head = event === 'opened' ? `:rotating_light: Anomaly (${anomaly.severity}): ${anomaly.kind} in ${anomaly.metric} for ${where}` : `:white_check_mark: Recovered: ${anomaly.kind} in ${anomaly.metric} for ${where}`
  const detail = `${anomaly.summary}\nobserved ${fmt(anomaly.observed)} vs expected ${fmt(anomaly.expected)} (score ${fmt(anomaly.score)}), since ${anomaly.startedAt}${anomaly.endedAt ? `, ended ${anomaly.endedAt}` : ''}`
  const traces = anomaly.traceIds.length > 0 ? `\ntraces: ${anomaly.traceIds.slice(0, 5).join(', ')}` : ''
  return {
    text: `${head}. ${anomaly.summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${head}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: detail + traces } },
    ],
    event,
    anomaly,
  }
}

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3))
