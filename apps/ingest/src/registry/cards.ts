/**
 * Agent Card registration: a card is validated against the A2A schema of its protocol version (0.3
 * or 1.0) before anything is stored, so an invalid card changes nothing. Every distinct card of an
 * agent becomes a new revision; the same card sent again (each restart of an agent pushes it) only
 * moves its last-received time. Cards arrive from the SDK or the CLI: the server never fetches a
 * card URL itself (no requests to addresses a client chose).
 */
import { createHash } from 'node:crypto'
import { stableJson } from '@sightline/core'
import {
  validateAgentCard,
  type CardRecord,
  type RegisterCardRequest,
  type RegisterCardResponse,
} from '@sightline/schema'
import type { RegistryRepository, StoredCard } from '../db/repositories/registry.js'
import { badRequest } from '../errors.js'

/** A stored card as the API shows it. */
export function cardRecord(stored: StoredCard): CardRecord {
  const card = JSON.parse(stored.card) as Record<string, unknown>
  const checked = validateAgentCard(card)
  // Only cards that validated are stored: failing here is a fault of ours, not the client's.
  if (!checked.ok)
    throw new Error(`stored card of ${stored.agentName} r${stored.revision} no longer validates: ${checked.message}`)
  return {
    revision: stored.revision,
    protocol: checked.protocol,
    source: stored.source,
    sourceUrl: stored.sourceUrl,
    firstReceived: stored.firstReceived,
    lastReceived: stored.lastReceived,
    summary: checked.summary,
    card,
  }
}

export class CardRegistry {
  /** Registrations of one project run one at a time: two new cards must not get the same revision. */
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly repository: RegistryRepository,
    private readonly now: () => number = Date.now,
  ) {}

  register(projectId: string, request: RegisterCardRequest): Promise<RegisterCardResponse> {
    const checked = validateAgentCard(request.card)
    if (!checked.ok) return Promise.reject(badRequest(`Invalid Agent Card: ${checked.message}`))
    const card = request.card as Record<string, unknown>
    const task = this.chain.then(() =>
      this.store(projectId, card, checked.protocol, checked.summary.name, checked.summary.version, request),
    )
    this.chain = task.catch(() => undefined)
    return task
  }

  private async store(
    projectId: string,
    card: Record<string, unknown>,
    protocol: '0.3' | '1.0',
    agent: string,
    version: string,
    request: RegisterCardRequest,
  ): Promise<RegisterCardResponse> {
    const text = JSON.stringify(card)
    const contentHash = createHash('sha256').update(stableJson(card)).digest('hex').slice(0, 32)
    const existing = await this.repository.cards(projectId, agent)
    const same = existing.find((c) => c.contentHash === contentHash)
    const nowIso = new Date(this.now()).toISOString()
    if (same) {
      await this.repository.insertCard(projectId, { ...same, lastReceived: nowIso })
      return { agent, revision: same.revision, created: false, protocolVersion: protocol }
    }
    const revision = existing.reduce((n, c) => Math.max(n, c.revision), 0) + 1
    await this.repository.insertCard(projectId, {
      agentName: agent,
      contentHash,
      revision,
      cardVersion: version,
      protocolVersion: protocol,
      source: request.source,
      sourceUrl: request.sourceUrl,
      card: text,
      firstReceived: nowIso,
      lastReceived: nowIso,
    })
    return { agent, revision, created: true, protocolVersion: protocol }
  }
}
