/**
 * @module registry/drift
 * Drift in a fleet, decided from what the registry knows (traffic observations, card revisions, the
 * rollups' agent→tool pairs): a new agent version, a changed Agent Card, a tool whose input schema
 * changed, a tool its MCP server no longer lists, an agent calling a tool it never called before.
 *
 * Deterministic: the same facts give the same events with the same ids, so the registry can run this
 * over everything it knows as often as it likes and store only ids it has not stored yet.
 */
import type { JsonChange, RegistryEventKind } from '@sightline/schema'
import { jsonDiff, shortHash } from './json-diff.js'

export interface AgentRelease {
  agent: string
  release: string
  firstSeenMs: number
}

export interface CardRevisionFacts {
  agent: string
  revision: number
  cardVersion: string
  contentHash: string
  card: Record<string, unknown>
  firstReceivedMs: number
}

export interface SchemaFacts {
  server: string
  tool: string
  /** Where the definition came from: an MCP `tools/list`, or a model's tool definitions. */
  source: 'tools/list' | 'gen_ai'
  hash: string
  inputSchema: unknown
  firstSeenMs: number
  lastSeenMs: number
}

export interface ToolPairFacts {
  agent: string
  tool: string
  firstSeenMs: number
}

export interface DriftFacts {
  releases: readonly AgentRelease[]
  cards: readonly CardRevisionFacts[]
  schemas: readonly SchemaFacts[]
  pairs: readonly ToolPairFacts[]
  /** First activity of each agent (its first rollup bucket). */
  agentFirstSeenMs: ReadonlyMap<string, number>
}

export interface DriftEvent {
  id: string
  kind: RegistryEventKind
  subject: string
  atMs: number
  summary: string
  diff: { before: unknown; after: unknown; changes: JsonChange[] }
}

/** A tool no longer listed is one whose last listing is older than its server's latest by this much. */
const LISTING_GRACE_MS = 1_000

export function findDrift(facts: DriftFacts): DriftEvent[] {
  return [
    ...agentVersions(facts),
    ...cardChanges(facts),
    ...schemaChanges(facts),
    ...disappearedTools(facts),
    ...newToolCalls(facts),
  ].sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1))
}

const eventId = (kind: RegistryEventKind, ...parts: string[]) => `${kind}-${shortHash([kind, ...parts].join('\u0000'))}`
export const toolSubject = (server: string, tool: string) => `${server}/${tool}`

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}

function describeChanges(changes: JsonChange[]): string {
  if (changes.length === 0) return 'no field changed'
  const shown = changes.slice(0, 3).map((c) => `${c.path} ${short(c.before)} → ${short(c.after)}`)
  return `${shown.join(', ')}${changes.length > 3 ? `, ${changes.length - 3} more` : ''}`
}

function short(value: unknown): string {
  const text = value === null || value === undefined ? '∅' : typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 40 ? `${text.slice(0, 37)}…` : text
}

function agentVersions(facts: DriftFacts): DriftEvent[] {
  const events: DriftEvent[] = []
  for (const [agent, rows] of groupBy(facts.releases, (r) => r.agent)) {
    const releases = [...rows]
      .filter((r) => r.release !== '')
      .sort((a, b) => a.firstSeenMs - b.firstSeenMs || (a.release < b.release ? -1 : 1))
    const cardOf = (release: string) => latestCard(facts.cards, agent, release)
    for (let i = 1; i < releases.length; i++) {
      const prev = releases[i - 1]!
      const next = releases[i]!
      const before = { release: prev.release, card: cardOf(prev.release) ?? null }
      const after = { release: next.release, card: cardOf(next.release) ?? null }
      events.push({
        id: eventId('agent_version', agent, next.release),
        kind: 'agent_version',
        subject: agent,
        atMs: next.firstSeenMs,
        summary: `${agent}: new version ${next.release} (was ${prev.release})`,
        diff: { before, after, changes: jsonDiff(before, after) },
      })
    }
  }
  return events
}

function latestCard(
  cards: readonly CardRevisionFacts[],
  agent: string,
  version: string,
): Record<string, unknown> | undefined {
  return cards.filter((c) => c.agent === agent && c.cardVersion === version).sort((a, b) => b.revision - a.revision)[0]
    ?.card
}

function cardChanges(facts: DriftFacts): DriftEvent[] {
  const events: DriftEvent[] = []
  for (const [agent, rows] of groupBy(facts.cards, (c) => c.agent)) {
    const revisions = [...rows].sort((a, b) => a.revision - b.revision)
    for (let i = 1; i < revisions.length; i++) {
      const prev = revisions[i - 1]!
      const next = revisions[i]!
      const changes = jsonDiff(prev.card, next.card)
      events.push({
        id: eventId('card_changed', agent, next.contentHash),
        kind: 'card_changed',
        subject: agent,
        atMs: next.firstReceivedMs,
        summary: `${agent}: Agent Card revision ${next.revision} (was ${prev.revision}): ${describeChanges(changes)}`,
        diff: { before: prev.card, after: next.card, changes },
      })
    }
  }
  return events
}

function schemaChanges(facts: DriftFacts): DriftEvent[] {
  const events: DriftEvent[] = []
  for (const rows of groupBy(facts.schemas, (s) => `${s.source}\u0000${s.server}\u0000${s.tool}`).values()) {
    const versions = [...rows].sort((a, b) => a.firstSeenMs - b.firstSeenMs || (a.hash < b.hash ? -1 : 1))
    for (let i = 1; i < versions.length; i++) {
      const prev = versions[i - 1]!
      const next = versions[i]!
      const changes = jsonDiff(prev.inputSchema, next.inputSchema)
      // The same schema written with another key order hashes differently but did not change.
      if (changes.length === 0) continue
      const subject = toolSubject(next.server, next.tool)
      events.push({
        id: eventId('tool_schema_changed', next.source, subject, next.hash),
        kind: 'tool_schema_changed',
        subject,
        atMs: next.firstSeenMs,
        summary:
          `${next.tool}${next.server ? ` (${next.server})` : ''}: ` +
          `input schema changed: ${describeChanges(changes)}`,
        diff: { before: prev.inputSchema, after: next.inputSchema, changes },
      })
    }
  }
  return events
}

function disappearedTools(facts: DriftFacts): DriftEvent[] {
  const events: DriftEvent[] = []
  const listings = facts.schemas.filter((s) => s.source === 'tools/list' && s.server !== '')
  for (const [server, rows] of groupBy(listings, (s) => s.server)) {
    const latestListing = Math.max(...rows.map((r) => r.lastSeenMs))
    for (const [tool, versions] of groupBy(rows, (r) => r.tool)) {
      const lastListed = Math.max(...versions.map((v) => v.lastSeenMs))
      if (lastListed >= latestListing - LISTING_GRACE_MS) continue
      const subject = toolSubject(server, tool)
      const last = versions.find((v) => v.lastSeenMs === lastListed)!
      events.push({
        id: eventId('tool_disappeared', subject, String(lastListed)),
        kind: 'tool_disappeared',
        subject,
        atMs: latestListing,
        summary:
          `${tool} (${server}): ` +
          `no longer listed by the server (last listed ${new Date(lastListed).toISOString()})`,
        diff: {
          before: { tool, inputSchema: last.inputSchema },
          after: null,
          changes: [{ path: `/${tool}`, before: last.inputSchema, after: null }],
        },
      })
    }
  }
  return events
}

/** Rollup buckets are 5 minutes: a pair first seen in the agent's first bucket is part of its start, not new. */
const BUCKET_MS = 300_000

function newToolCalls(facts: DriftFacts): DriftEvent[] {
  const events: DriftEvent[] = []
  for (const pair of facts.pairs) {
    if (pair.agent === '' || pair.tool === '') continue
    const agentFirst = facts.agentFirstSeenMs.get(pair.agent)
    if (agentFirst === undefined || pair.firstSeenMs < agentFirst + BUCKET_MS) continue
    events.push({
      id: eventId('new_tool_call', pair.agent, pair.tool),
      kind: 'new_tool_call',
      subject: pair.agent,
      atMs: pair.firstSeenMs,
      summary: `${pair.agent}: called ${pair.tool} for the first time`,
      diff: {
        before: null,
        after: { tool: pair.tool },
        changes: [{ path: '/tools/-', before: null, after: pair.tool }],
      },
    })
  }
  return events
}
