/**
 * Store access of the fleet registry (src/registry): traffic observations (agents, tools, tool
 * schemas; filled by a view on `spans`), Agent Card revisions and drift events. Numbers live in the
 * rollups and are read by registry-health.ts. Tables and their contract: migration 0024_registry.sql.
 */
import type { Store } from '../client.js'
import { chTime, sql, str, strArray, u64 } from '../sql.js'

type Num = number | string

export interface Observation {
  entity: 'agent' | 'tool' | 'tool_schema'
  k1: string
  k2: string
  k3: string
  k4: string
  detail: string
  /** ISO. */
  firstSeen: string
  lastSeen: string
}

export interface StoredCard {
  agentName: string
  contentHash: string
  revision: number
  cardVersion: string
  protocolVersion: string
  source: string
  sourceUrl: string
  card: string
  firstReceived: string
  lastReceived: string
}

export interface StoredEvent {
  id: string
  kind: string
  subject: string
  at: string
  summary: string
  diff: string
  detectedAt: string
}

/** DateTime64 text → ISO (millisecond precision). */
export const chToIso = (text: string) => new Date(`${text.replace(' ', 'T').slice(0, 23)}Z`).toISOString()
/** ISO → DateTime64(3) text. */
const isoToCh = (iso: string) => chTime(iso)

export class RegistryRepository {
  constructor(private readonly store: Store) {}

  async observations(projectId: string, entities: ReadonlyArray<Observation['entity']>): Promise<Observation[]> {
    const rows = await this.store.query<{
      entity: Observation['entity']
      k1: string
      k2: string
      k3: string
      k4: string
      detail: string
      first: string
      last: string
    }>(sql`
      SELECT entity, k1, k2, k3, k4, max(detail) AS detail, toString(min(first_seen)) AS first,
        toString(max(last_seen)) AS last
      FROM registry_observations
      WHERE project_id = ${str(projectId)} AND entity IN ${strArray([...entities])}
      GROUP BY entity, k1, k2, k3, k4
      ORDER BY entity, k1, k2, k3, k4`)
    return rows.map((r) => ({
      entity: r.entity,
      k1: r.k1,
      k2: r.k2,
      k3: r.k3,
      k4: r.k4,
      detail: r.detail,
      firstSeen: chToIso(r.first),
      lastSeen: chToIso(r.last),
    }))
  }

  /** Every card revision of the project (or of one agent), oldest revision first. */
  async cards(projectId: string, agentName?: string): Promise<StoredCard[]> {
    const rows = await this.store.query<CardRow>(sql`
      SELECT agent_name, content_hash, revision, card_version, protocol_version, source, source_url, card,
        toString(first_received) AS first_text, toString(last_received) AS last_text
      FROM agent_cards FINAL
      WHERE project_id = ${str(projectId)} ${agentName === undefined ? sql`` : sql`AND agent_name = ${str(agentName)}`}
      ORDER BY agent_name, revision`)
    return rows.map(cardFromRow)
  }

  async insertCard(projectId: string, card: StoredCard): Promise<void> {
    const row = {
      project_id: projectId,
      agent_name: card.agentName,
      content_hash: card.contentHash,
      revision: card.revision,
      card_version: card.cardVersion,
      protocol_version: card.protocolVersion,
      source: card.source,
      source_url: card.sourceUrl,
      card: card.card,
      first_received: isoToCh(card.firstReceived),
      last_received: isoToCh(card.lastReceived),
    }
    await this.store.insertJsonEachRow(
      'agent_cards',
      Buffer.from(JSON.stringify(row)),
      `card:${projectId}:${card.agentName}:${card.contentHash}:${card.lastReceived}`,
    )
  }

  async eventIds(projectId: string): Promise<Set<string>> {
    const rows = await this.store.query<{ id: string }>(
      sql`SELECT id FROM registry_events WHERE project_id = ${str(projectId)} GROUP BY id`,
    )
    return new Set(rows.map((r) => r.id))
  }

  async insertEvents(projectId: string, events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return
    const body = events
      .map((e) =>
        JSON.stringify({
          project_id: projectId,
          id: e.id,
          kind: e.kind,
          subject: e.subject,
          at: isoToCh(e.at),
          summary: e.summary,
          diff: e.diff,
          detected_at: isoToCh(e.detectedAt),
        }),
      )
      .join('\n')
    await this.store.insertJsonEachRow(
      'registry_events',
      Buffer.from(body),
      `registry-events:${projectId}:${events.map((e) => e.id).join(',')}`,
    )
  }

  /** Events whose change happened in [from, to), newest first. */
  async events(
    projectId: string,
    q: { from: string; to: string; kind?: string | undefined; subject?: string | undefined; limit: number },
  ): Promise<StoredEvent[]> {
    const rows = await this.store.query<{
      id: string
      kind: string
      subject: string
      at_text: string
      summary: string
      diff: string
      detected_text: string
    }>(sql`
      SELECT id, kind, subject, toString(at) AS at_text, summary, diff, toString(detected_at) AS detected_text
      FROM registry_events FINAL
      WHERE project_id = ${str(projectId)} AND at >= toDateTime64(${str(isoToCh(q.from))}, 3,
        'UTC') AND at < toDateTime64(${str(isoToCh(q.to))}, 3, 'UTC')
        ${q.kind === undefined ? sql`` : sql`AND kind = ${str(q.kind)}`}
        ${q.subject === undefined ? sql`` : sql`AND subject = ${str(q.subject)}`}
      ORDER BY at DESC, id LIMIT ${u64(q.limit)}`)
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      subject: r.subject,
      at: chToIso(r.at_text),
      summary: r.summary,
      diff: r.diff,
      detectedAt: chToIso(r.detected_text),
    }))
  }

  /** Projects with anything in the registry (what the drift scanner visits). */
  async projects(): Promise<string[]> {
    const rows = await this.store.query<{ project_id: string }>(sql`
      SELECT DISTINCT project_id FROM (SELECT project_id FROM registry_observations UNION ALL SELECT project_id
        FROM agent_cards)`)
    return rows.map((r) => r.project_id)
  }

  /** Open anomalies per agent (the anomaly feed's own state). */
  async openAnomaliesByAgent(projectId: string): Promise<Map<string, number>> {
    const rows = await this.store.query<{ value: string; n: Num }>(sql`
      SELECT value, count() AS n FROM anomalies FINAL
      WHERE project_id = ${str(projectId)} AND status = 'open' AND (dimension = 'agent' OR (dimension = 'trace'
        AND value != ''))
      GROUP BY value`)
    return new Map(rows.map((r) => [r.value, Number(r.n)]))
  }
}

interface CardRow {
  agent_name: string
  content_hash: string
  revision: Num
  card_version: string
  protocol_version: string
  source: string
  source_url: string
  card: string
  first_text: string
  last_text: string
}

const cardFromRow = (r: CardRow): StoredCard => ({
  agentName: r.agent_name,
  contentHash: r.content_hash,
  revision: Number(r.revision),
  cardVersion: r.card_version,
  protocolVersion: r.protocol_version,
  source: r.source,
  sourceUrl: r.source_url,
  card: r.card,
  firstReceived: chToIso(r.first_text),
  lastReceived: chToIso(r.last_text),
})
