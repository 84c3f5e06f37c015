import { randomUUID } from 'node:crypto'
import type { AlertPayload, Anomaly, Webhook } from '@sightline/schema'
import type { Store } from '../db/client.js'
import type { Logger } from '../logger.js'
import { sql, str, u64 } from '../db/sql.js'

/** Webhook targets per project (`alert_webhooks`; deletes are tombstones). */
export class WebhookRepository {
  constructor(private readonly store: Store) {}

  async list(projectId: string): Promise<Webhook[]> {
    const rows = await this.store.query<{ id: string; url: string; created_at: string }>(sql`
      SELECT id, url, toString(created_at) AS created_at FROM alert_webhooks FINAL
      WHERE project_id = ${str(projectId)} AND NOT is_deleted ORDER BY created_at, id`)
    return rows.map((r) => ({ id: r.id, url: r.url, createdAt: `${r.created_at.replace(' ', 'T')}Z` }))
  }

  /** Adds a target; the same URL twice is one target. */
  async put(projectId: string, url: string): Promise<Webhook> {
    const existing = (await this.list(projectId)).find((w) => w.url === url)
    if (existing) return existing
    const webhook = { id: randomUUID(), url, createdAt: new Date().toISOString() }
    await this.store.command(sql`
      INSERT INTO alert_webhooks (project_id, id, url, created_at, is_deleted, version)
      VALUES (${str(projectId)}, ${str(webhook.id)}, ${str(url)}, toDateTime64(${str(webhook.createdAt.replace('T', ' ').replace('Z', ''))}, 3, 'UTC'), false, ${u64(Date.now())})`)
    return webhook
  }

  async remove(projectId: string, id: string): Promise<boolean> {
    const found = (await this.list(projectId)).find((w) => w.id === id)
    if (!found) return false
    await this.store.command(sql`
      INSERT INTO alert_webhooks (project_id, id, url, created_at, is_deleted, version)
      VALUES (${str(projectId)}, ${str(id)}, ${str(found.url)}, now64(3), true, ${u64(Date.now() + 1)})`)
    return true
  }
}

export interface NotifierOptions {
  timeoutMs: number
  retries: number
  backoffMs: number
}

export const DEFAULT_NOTIFIER_OPTIONS: NotifierOptions = { timeoutMs: 5_000, retries: 3, backoffMs: 500 }

/**
 * Delivers Slack-compatible JSON to every target of the project. Fire-and-forget from the
 * detector's point of view (ingest never waits on it); `drain()` lets tests and shutdown wait.
 * Retries network errors, 429 and 5xx with exponential back-off; 4xx other than 429 is final.
 */
export class AlertNotifier {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'list'>,
    private readonly logger: Logger,
    private readonly options: NotifierOptions = DEFAULT_NOTIFIER_OPTIONS,
  ) {}

  notify(projectId: string, event: AlertPayload['event'], anomaly: Anomaly): void {
    const task = this.deliverAll(projectId, alertPayload(event, anomaly)).catch((err: unknown) => {
      this.logger.warn('alert delivery failed', { projectId, anomalyId: anomaly.id, err })
    })
    this.inFlight.add(task)
    void task.finally(() => this.inFlight.delete(task))
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private async deliverAll(projectId: string, payload: AlertPayload): Promise<void> {
    const targets = await this.webhooks.list(projectId)
    await Promise.all(targets.map((t) => this.deliver(t.url, payload)))
  }

  private async deliver(url: string, payload: AlertPayload): Promise<void> {
    const body = JSON.stringify(payload)
    for (let attempt = 0; ; attempt++) {
      let retryable = true
      try {
        const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) })
        await res.body?.cancel()
        if (res.ok) return
        retryable = res.status === 429 || res.status >= 500
        if (!retryable || attempt >= this.options.retries) throw new Error(`webhook answered ${res.status}`)
      } catch (err) {
        if (!retryable || attempt >= this.options.retries) throw err
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs * 2 ** attempt))
    }
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
