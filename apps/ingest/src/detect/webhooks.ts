import type { AlertEvent, AlertPayload, Incident } from '@sightline/schema'
import type { Logger } from '../logger.js'
import { DeliveryError, type WebhookDelivery } from './webhook-delivery.js'
import type { WebhookRepository } from '../db/repositories/webhooks.js'

/**
 * Delivers Slack-compatible JSON to every target of the project, once per incident event (the
 * incident manager decides which events are sent). Fire-and-forget from the detector's point of
 * view (ingest never waits on it); `drain()` lets tests and shutdown wait. Signing, the outbound
 * guard, retries and back-off are `WebhookDelivery`'s.
 */
export class AlertNotifier {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'targets'>,
    private readonly delivery: WebhookDelivery,
    private readonly logger: Logger,
  ) {}

  notifyIncident(projectId: string, event: AlertEvent, incident: Incident): void {
    this.send(projectId, alertPayload(event, incident), { incidentId: incident.id, event })
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

const HEADS: Record<AlertEvent, string> = {
  opened: ':rotating_light: Incident',
  escalated: ':arrow_double_up: Incident escalated',
  reopened: ':bell: Snooze over, still going',
  recovered: ':white_check_mark: Recovered',
}

export function alertPayload(event: AlertEvent, incident: Incident): AlertPayload {
  const head = `${HEADS[event]} (${incident.severity}): ${incident.title}`
  const traces =
    incident.traceIds.length > 0
      ? `\n${incident.traceCount} traces, e.g. ${incident.traceIds.slice(0, 5).join(', ')}`
      : ''
  const when =
    `since ${incident.firstSeenAt}` +
    `${incident.recoveredAt ? `, normal again since ${incident.recoveredAt}` : ''} · ${incident.findings} finding` +
    `${incident.findings === 1 ? '' : 's'} · incident ${incident.id}`
  return {
    text: `${head}. ${incident.explanation}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${head}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: `${incident.explanation}\n${when}${traces}` } },
    ],
    event,
    incident,
  }
}
