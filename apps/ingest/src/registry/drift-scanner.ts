/**
 * Finds drift (packages/core `findDrift`) in every project's registry and records each change once
 * as a registry event (`registry_events`, read by `GET /api/v1/registry/events` and by anything that
 * raises incidents). A change that happened recently also goes out as an alert to the project's
 * webhooks, through the anomaly machinery's notifier (same targets, signing and retries). Runs every
 * `intervalMs` (0: never; tests call `scan()`), never overlapping, never blocking ingest.
 */
import { findDrift, splitPairKey, type DriftEvent, type DriftFacts, type SchemaFacts } from '@sightline/core'
import type { RegistryRepository, StoredEvent } from '../db/repositories/registry.js'
import type { RegistryHealthRepository } from '../db/repositories/registry-health.js'
import type { AlertNotifier } from '../detect/webhooks.js'
import type { Logger } from '../logger.js'
import { parseJson } from './tool-identity.js'

/** Changes older than this when first found (a first scan over history) are recorded but not alerted. */
const ALERT_RECENT_MS = 3_600_000

export class DriftScanner {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  private stopped = false

  constructor(
    private readonly registry: RegistryRepository,
    private readonly health: RegistryHealthRepository,
    private readonly notifier: Pick<AlertNotifier, 'send'>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return
    this.stopped = false
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.scan()
        .catch((err: unknown) => this.logger.error('registry drift scan failed', { err }))
        .finally(() => {
          this.running = undefined
          this.schedule()
        })
    }, this.intervalMs)
    this.timer.unref()
  }

  /** Scans every project (or one); returns the events recorded now. */
  async scan(projectId?: string): Promise<Array<StoredEvent & { projectId: string }>> {
    const projects = projectId === undefined ? await this.registry.projects() : [projectId]
    const recorded: Array<StoredEvent & { projectId: string }> = []
    for (const project of projects) {
      const events = findDrift(await this.facts(project))
      const known = await this.registry.eventIds(project)
      const detectedAt = new Date(this.now()).toISOString()
      const fresh = events.filter((e) => !known.has(e.id)).map((e) => storedEvent(e, detectedAt))
      await this.registry.insertEvents(project, fresh)
      for (const event of fresh) {
        recorded.push({ ...event, projectId: project })
        if (this.now() - Date.parse(event.at) <= ALERT_RECENT_MS)
          this.notifier.send(project, alertPayload(event), { registryEventId: event.id })
      }
    }
    return recorded
  }

  private async facts(projectId: string): Promise<DriftFacts> {
    const [observations, cards, pairs, agents] = await Promise.all([
      this.registry.observations(projectId, ['agent', 'tool_schema']),
      this.registry.cards(projectId),
      this.health.firstActive(projectId, 'agent_tool'),
      this.health.firstActive(projectId, 'agent'),
    ])
    const releases = new Map<string, { agent: string; release: string; firstSeenMs: number }>()
    for (const o of observations) {
      if (o.entity !== 'agent') continue
      const key = `${o.k1}\u0000${o.k3}`
      const first = Date.parse(o.firstSeen)
      if ((releases.get(key)?.firstSeenMs ?? Infinity) > first)
        releases.set(key, { agent: o.k1, release: o.k3, firstSeenMs: first })
    }
    const schemas: SchemaFacts[] = observations
      .filter((o) => o.entity === 'tool_schema')
      .map((o) => {
        const definition = parseJson(o.detail)
        const source = o.k4 === 'gen_ai' ? 'gen_ai' : 'tools/list'
        return {
          server: o.k2,
          tool: o.k1,
          source,
          hash: o.k3,
          inputSchema: (source === 'gen_ai' ? definition.parameters : definition.inputSchema) ?? null,
          firstSeenMs: Date.parse(o.firstSeen),
          lastSeenMs: Date.parse(o.lastSeen),
        }
      })
    return {
      releases: [...releases.values()],
      cards: cards.map((c) => ({
        agent: c.agentName,
        revision: c.revision,
        cardVersion: c.cardVersion,
        contentHash: c.contentHash,
        card: JSON.parse(c.card) as Record<string, unknown>,
        firstReceivedMs: Date.parse(c.firstReceived),
      })),
      schemas,
      pairs: [...pairs].map(([value, first]) => {
        const [agent, tool] = splitPairKey(value)
        return { agent, tool, firstSeenMs: Date.parse(first) }
      }),
      agentFirstSeenMs: new Map([...agents].map(([agent, first]) => [agent, Date.parse(first)])),
    }
  }
}

function storedEvent(e: DriftEvent, detectedAt: string): StoredEvent {
  return {
    id: e.id,
    kind: e.kind,
    subject: e.subject,
    at: new Date(e.atMs).toISOString(),
    summary: e.summary,
    diff: JSON.stringify(e.diff),
    detectedAt,
  }
}

/** Slack-compatible, like the anomaly alerts. */
function alertPayload(event: StoredEvent): object {
  const head = `:twisted_rightwards_arrows: Fleet drift (${event.kind.replace(/_/g, ' ')}): ${event.subject}`
  return {
    text: `${head}. ${event.summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${head}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: `${event.summary}\nat ${event.at}` } },
    ],
    sightline: { type: 'registry_event', id: event.id, kind: event.kind, subject: event.subject, at: event.at },
  }
}
