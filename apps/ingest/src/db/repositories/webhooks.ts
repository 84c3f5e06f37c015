import { randomUUID } from 'node:crypto'
import type { Webhook } from '@sightline/schema'
import type { SecretBox } from '../../crypto/secret-box.js'
import type { Store } from '../client.js'
import { chTime, sql, str, u64 } from '../sql.js'
import { newWebhookSecret } from '../../detect/webhook-signature.js'

/** What delivery needs: the secret in clear (null: a webhook from before signing). */
export interface WebhookTarget {
  id: string
  url: string
  secret: string | null
  /** Set when the sealed secret cannot be opened (server key replaced or lost): never send unsigned instead. */
  secretError?: string
}

/** A webhook with the secret that was just generated for it (shown to the user once). */
export interface WebhookWithSecret {
  webhook: Webhook
  secret: string
}

interface WebhookRow {
  id: string
  url: string
  created_at: string
  secret_sealed: string
}

/**
 * Webhook targets per project (`alert_webhooks`, ReplacingMergeTree: every change writes the
 * whole row again with a higher version; deletes are tombstones). Secrets are sealed with the
 * server key and bound to their project and id; only `targets()` opens them, for delivery.
 */
export class WebhookRepository {
  private lastVersion = 0

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
  ) {}

  async list(projectId: string): Promise<Webhook[]> {
    return (await this.rows(projectId)).map(toWebhook)
  }

  /**
   * Adds a target with a new secret. The same URL twice is one target: the existing one comes
   * back with `secret: null`, since a secret is only ever shown when it is made.
   */
  async put(projectId: string, url: string): Promise<{ webhook: Webhook; secret: string | null }> {
    const existing = (await this.rows(projectId)).find((r) => r.url === url)
    if (existing) return { webhook: toWebhook(existing), secret: null }
    const id = randomUUID()
    const createdAt = new Date().toISOString()
    return this.writeWithNewSecret(projectId, { id, url, created_at: chTime(createdAt), secret_sealed: '' })
  }

  /** Replaces the secret (the old one stops verifying at once); null when there is no such webhook. */
  async rotateSecret(projectId: string, id: string): Promise<WebhookWithSecret | null> {
    const found = (await this.rows(projectId)).find((r) => r.id === id)
    return found ? this.writeWithNewSecret(projectId, found) : null
  }

  async remove(projectId: string, id: string): Promise<boolean> {
    const found = (await this.rows(projectId)).find((r) => r.id === id)
    if (!found) return false
    await this.write(projectId, { ...found, secret_sealed: '' }, true)
    return true
  }

  /** Every target of the project with its secret opened, for delivery only. */
  async targets(projectId: string): Promise<WebhookTarget[]> {
    return (await this.rows(projectId)).map((row) => {
      if (row.secret_sealed === '') return { id: row.id, url: row.url, secret: null }
      try {
        return {
          id: row.id,
          url: row.url,
          secret: this.secrets.open(row.secret_sealed, secretContext(projectId, row.id)),
        }
      } catch {
        return {
          id: row.id,
          url: row.url,
          secret: null,
          secretError:
            'its secret cannot be decrypted with the current server key (SIGHTLINE_SECRET_KEY or secret.key ' +
            'changed); rotate it',
        }
      }
    })
  }

  private async writeWithNewSecret(projectId: string, row: WebhookRow): Promise<WebhookWithSecret> {
    const secret = newWebhookSecret()
    const updated = { ...row, secret_sealed: this.secrets.seal(secret, secretContext(projectId, row.id)) }
    await this.write(projectId, updated, false)
    return { webhook: toWebhook(updated), secret }
  }

  private async rows(projectId: string): Promise<WebhookRow[]> {
    return this.store.query<WebhookRow>(sql`
      SELECT id, url, toString(created_at) AS created_at, secret_sealed FROM alert_webhooks FINAL
      WHERE project_id = ${str(projectId)} AND NOT is_deleted ORDER BY created_at, id`)
  }

  private async write(projectId: string, row: WebhookRow, isDeleted: boolean): Promise<void> {
    // Strictly increasing even within one millisecond, so a rotation right after a create wins.
    this.lastVersion = Math.max(Date.now(), this.lastVersion + 1)
    await this.store.command(sql`
      INSERT INTO alert_webhooks (project_id, id, url, secret_sealed, created_at, is_deleted, version)
      VALUES (${str(projectId)}, ${str(row.id)}, ${str(row.url)}, ${str(row.secret_sealed)},
              toDateTime64(${str(row.created_at)}, 3, 'UTC'), ${isDeleted ? sql`true` : sql`false`},
                ${u64(this.lastVersion)})`)
  }
}

const secretContext = (projectId: string, id: string) => `alert_webhooks:${projectId}:${id}`
const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  createdAt: `${row.created_at.replace(' ', 'T')}Z`,
  signed: row.secret_sealed !== '',
})
