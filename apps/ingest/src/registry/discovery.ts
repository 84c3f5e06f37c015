/**
 * The registry's exports for discovery clients: the newest Agent Card of every agent
 * (`GET /registry/agents`), and every MCP server seen in traffic as the official MCP registry's
 * `server.json` (`GET /registry/tools`), with what Sightline observed (tools, input schemas, callers,
 * health) under `_meta["dev.sightline/observed"]`. Both are paginated by an opaque name cursor.
 */
import { splitPairKey } from '@sightline/core'
import {
  MCP_SERVER_SCHEMA_URL,
  OBSERVED_META_KEY,
  validateAgentCard,
  type DiscoveryAgentsResponse,
  type McpRegistryListResponse,
  type McpServerJson,
} from '@sightline/schema'
import type { Observation, StoredCard } from '../db/repositories/registry.js'
import type { DimensionTotals } from '../db/repositories/registry-health.js'
import { badRequest } from '../errors.js'
import { schemaFor, toolSchemas } from './tool-identity.js'
import { allTools } from './tools-view.js'

const encodeCursor = (name: string) => Buffer.from(name, 'utf8').toString('base64url')
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined
  const name = Buffer.from(cursor, 'base64url').toString('utf8')
  if (encodeCursor(name) !== cursor) throw badRequest('Invalid query: cursor: not a cursor this API returned')
  return name
}

function page<T>(
  items: T[],
  nameOf: (item: T) => string,
  limit: number,
  cursor: string | undefined,
): { items: T[]; nextCursor: string | null } {
  const after = decodeCursor(cursor)
  const rest = after === undefined ? items : items.filter((i) => nameOf(i) > after)
  const taken = rest.slice(0, limit)
  return { items: taken, nextCursor: rest.length > limit ? encodeCursor(nameOf(taken[taken.length - 1]!)) : null }
}

export function discoveryAgents(
  cards: readonly StoredCard[],
  q: {
    q?: string | undefined
    skill?: string | undefined
    protocol?: string | undefined
    limit: number
    cursor?: string | undefined
  },
): DiscoveryAgentsResponse {
  const newest = new Map<string, StoredCard>()
  for (const c of cards) if ((newest.get(c.agentName)?.revision ?? 0) < c.revision) newest.set(c.agentName, c)
  const text = q.q?.toLowerCase()
  const entries = [...newest.values()]
    .map((c) => ({ stored: c, card: JSON.parse(c.card) as Record<string, unknown> }))
    .map((e) => ({ ...e, checked: validateAgentCard(e.card) }))
    .filter((e) => e.checked.ok)
    .filter((e) => !q.protocol || e.stored.protocolVersion === q.protocol)
    .filter((e) => {
      if (!e.checked.ok) return false
      const s = e.checked.summary
      if (q.skill && !s.skills.some((k) => k.id === q.skill || k.tags.includes(q.skill!))) return false
      if (
        text &&
        ![s.name, s.description, ...s.skills.flatMap((k) => [k.name, k.description, ...k.tags])].some((v) =>
          v.toLowerCase().includes(text),
        )
      )
        return false
      return true
    })
    .sort((a, b) => (a.stored.agentName < b.stored.agentName ? -1 : 1))
  const { items, nextCursor } = page(entries, (e) => e.stored.agentName, q.limit, q.cursor)
  return {
    agents: items.map((e) => ({
      name: e.stored.agentName,
      protocol: e.stored.protocolVersion === '0.3' ? '0.3' : '1.0',
      revision: e.stored.revision,
      lastReceived: e.stored.lastReceived,
      card: e.card,
    })),
    nextCursor,
  }
}

/** A name the MCP registry accepts (reverse-DNS namespace, one slash). */
function registryName(server: string): string {
  if (/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(server)) return server
  const cleaned = server.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'unnamed'
  return `local.sightline/${cleaned}`
}

export function discoveryTools(
  observations: readonly Observation[],
  totals: readonly DimensionTotals[],
  q: { q?: string | undefined; server?: string | undefined; limit: number; cursor?: string | undefined },
): McpRegistryListResponse {
  const schemas = toolSchemas(observations)
  const byServer = new Map<string, ReturnType<typeof allTools>>()
  for (const t of allTools(observations)) if (t.isMcp) byServer.set(t.server, [...(byServer.get(t.server) ?? []), t])
  const toolTotals = new Map(totals.filter((t) => t.dimType === 'tool').map((t) => [t.dimValue, t]))
  const callers = totals.filter((t) => t.dimType === 'agent_tool' && t.units > 0).map((t) => splitPairKey(t.dimValue))
  const text = q.q?.toLowerCase()
  const servers = [...byServer.entries()]
    .filter(([server]) => !q.server || server === q.server)
    .filter(
      ([server, tools]) =>
        !text || server.toLowerCase().includes(text) || tools.some((t) => t.name.toLowerCase().includes(text)),
    )
    .sort(([a], [b]) => (a < b ? -1 : 1))
  const { items, nextCursor } = page(servers, ([server]) => server, q.limit, q.cursor)
  return {
    servers: items.map(([server, tools]) => {
      const version = tools.find((t) => t.serverVersion)?.serverVersion ?? ''
      const remote = tools.find((t) => t.url && (t.transport === 'streamable-http' || t.transport === 'sse'))
      const reached = tools.find((t) => t.transport || t.url)
      const json: McpServerJson = {
        $schema: MCP_SERVER_SCHEMA_URL,
        name: registryName(server),
        title: server,
        description: `MCP server "${server}" as seen in traffic by Sightline`.slice(0, 100),
        version: version || '0.0.0',
        ...(remote ? { remotes: [{ type: remote.transport as 'streamable-http' | 'sse', url: remote.url }] } : {}),
      }
      const seen = tools
        .flatMap((t) => [t.firstSeen, t.lastSeen])
        .filter((v): v is string => v !== null)
        .sort()
      return {
        server: json,
        _meta: {
          [OBSERVED_META_KEY]: {
            serverName: server,
            versionKnown: version !== '',
            // A stdio server's package is not known from traffic: how it was reached is kept here instead.
            transport: reached?.transport ?? '',
            url: reached?.url ?? '',
            firstSeen: seen[0] ?? null,
            lastSeen: seen.at(-1) ?? null,
            tools: tools
              .map((t) => {
                const schema = schemaFor(schemas, server, t.name)
                const stats = toolTotals.get(t.name)
                return {
                  name: t.name,
                  description: schema?.description ?? '',
                  inputSchema: schema?.inputSchema ?? null,
                  callers: callers
                    .filter(([, tool]) => tool === t.name)
                    .map(([agent]) => agent)
                    .filter((a) => a !== '')
                    .sort(),
                  calls: stats?.units ?? 0,
                  errorRate: stats && stats.units > 0 ? stats.failures / stats.units : null,
                }
              })
              .sort((a, b) => (a.name < b.name ? -1 : 1)),
          },
        },
      }
    }),
    metadata: { nextCursor, count: items.length },
  }
}
