/**
 * The registry's agents over a range: every agent seen in traffic (services, releases, environments
 * from observations), with its Agent Card, its health per release from the rollups, its own and its
 * delegated cost, the tools it called and the agents it delegated to or was called by.
 */
import { splitPairKey } from '@sightline/core'
import type { CardRecord, RegistryAgent, RegistryAgentsResponse } from '@sightline/schema'
import type { Observation, StoredCard } from '../db/repositories/registry.js'
import type { DimensionTotals } from '../db/repositories/registry-health.js'
import { cardRecord } from './cards.js'
import { healthOf, indexTotals } from './health.js'

export interface AgentsViewInput {
  from: string
  to: string
  stepMs: number
  totals: readonly DimensionTotals[]
  sparklines: Map<string, number[]>
  points: number
  observations: readonly Observation[]
  cards: readonly StoredCard[]
  openAnomalies: Map<string, number>
}

interface Seen {
  services: Set<string>
  environments: Set<string>
  releases: Map<string, string>
  isA2a: boolean
  firstSeen: string | null
  lastSeen: string | null
}

export function agentsView(input: AgentsViewInput): RegistryAgentsResponse {
  const totals = indexTotals(input.totals)
  const seen = new Map<string, Seen>()
  for (const o of input.observations) {
    if (o.entity !== 'agent') continue
    const s = seen.get(o.k1) ?? {
      services: new Set(),
      environments: new Set(),
      releases: new Map(),
      isA2a: false,
      firstSeen: null,
      lastSeen: null,
    }
    if (o.k2) s.services.add(o.k2)
    if (o.k4) s.environments.add(o.k4)
    if (o.k3 && (s.releases.get(o.k3) ?? '') < o.lastSeen) s.releases.set(o.k3, o.lastSeen)
    s.isA2a ||= o.detail === 'a2a'
    s.firstSeen = s.firstSeen === null || o.firstSeen < s.firstSeen ? o.firstSeen : s.firstSeen
    s.lastSeen = s.lastSeen === null || o.lastSeen > s.lastSeen ? o.lastSeen : s.lastSeen
    seen.set(o.k1, s)
  }
  const pairs = (dim: string) =>
    input.totals.filter((t) => t.dimType === dim).map((t) => ({ totals: t, ends: splitPairKey(t.dimValue) }))
  const toolPairs = pairs('agent_tool')
  const delegations = pairs('agent_agent')
  const releaseRows = pairs('agent_release')
  const cardsByAgent = new Map<string, StoredCard[]>()
  for (const card of input.cards) cardsByAgent.set(card.agentName, [...(cardsByAgent.get(card.agentName) ?? []), card])

  const names = new Set<string>()
  for (const t of input.totals) if (t.dimType === 'agent' && t.dimValue !== '') names.add(t.dimValue)
  for (const [name, s] of seen) if (s.lastSeen !== null && s.lastSeen >= input.from) names.add(name)
  for (const name of cardsByAgent.keys()) names.add(name)

  const agents = [...names].sort().map((name): RegistryAgent => {
    const s = seen.get(name)
    const cards = cardsByAgent.get(name) ?? []
    const outgoing = delegations.filter((d) => d.ends[0] === name)
    const delegated = outgoing.reduce((n, d) => n + d.totals.costUsd, 0)
    const latestRelease = s ? [...s.releases.entries()].sort((a, b) => (a[1] < b[1] ? 1 : -1))[0]?.[0] : undefined
    const cardOf = (release: string | undefined): CardRecord | null => {
      const matching = cards.filter((c) => release !== undefined && c.cardVersion === release)
      const pick = (matching.length > 0 ? matching : release === undefined ? cards : []).at(-1)
      return pick ? cardRecord(pick) : null
    }
    const releases = new Set([
      ...(s?.releases.keys() ?? []),
      ...releaseRows.filter((r) => r.ends[0] === name && r.ends[1] !== '').map((r) => r.ends[1]),
    ])
    return {
      name,
      services: [...(s?.services ?? [])].sort(),
      environments: [...(s?.environments ?? [])].sort(),
      isA2a: s?.isA2a ?? false,
      firstSeen: s?.firstSeen ?? null,
      lastSeen: s?.lastSeen ?? null,
      health: healthOf(
        totals.get(`agent\u0000${name}`),
        input.sparklines.get(`agent\u0000${name}`) ?? new Array<number>(input.points).fill(0),
        delegated,
      ),
      releases: [...releases].sort().map((release) => ({
        release,
        health: healthOf(releaseRows.find((r) => r.ends[0] === name && r.ends[1] === release)?.totals, []),
        card: cardOf(release),
      })),
      card: cardOf(latestRelease) ?? (cards.length > 0 ? cardRecord(cards.at(-1)!) : null),
      cardRevisions: cards.length,
      tools: toolPairs
        .filter((p) => p.ends[0] === name && p.ends[1] !== '')
        .map((p) => p.ends[1])
        .sort(),
      delegatesTo: outgoing
        .map((d) => d.ends[1])
        .filter((n) => n !== '')
        .sort(),
      calledBy: delegations
        .filter((d) => d.ends[1] === name)
        .map((d) => d.ends[0] || 'unattributed')
        .sort(),
      openAnomalies: input.openAnomalies.get(name) ?? 0,
    }
  })
  return { from: input.from, to: input.to, stepMs: input.stepMs, agents }
}
