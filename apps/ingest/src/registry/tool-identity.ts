/**
 * Which tools exist and where they live, from traffic observations: a tool seen on an MCP client or
 * server span belongs to that MCP server (transport and URL as the spans report them); a tool only
 * ever seen as a plain tool span is a local function tool of the agents that call it. Input schemas
 * come from captured `tools/list` answers, else from a model's tool definitions.
 */
import type { Observation } from '../db/repositories/registry.js'

export interface ToolIdentity {
  name: string
  server: string
  isMcp: boolean
  serverVersion: string
  transport: string
  url: string
  firstSeen: string | null
  lastSeen: string | null
}

export interface ToolSchemaInfo {
  description: string
  inputSchema: unknown
  source: 'tools/list' | 'gen_ai'
  versions: number
  /** Null when the server's listings were never captured. */
  listed: boolean | null
  firstSeen: string
  lastSeen: string
}

const min = (a: string | null, b: string) => (a === null || b < a ? b : a)
const max = (a: string | null, b: string) => (a === null || b > a ? b : a)

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

/** `tool` observations → one identity per (server, tool); MCP identities replace local ones of the same name. */
export function toolIdentities(observations: readonly Observation[]): ToolIdentity[] {
  const byKey = new Map<string, ToolIdentity>()
  for (const o of observations) {
    if (o.entity !== 'tool') continue
    const server = o.k2
    const key = `${server}\u0000${o.k1}`
    const entry = byKey.get(key) ?? {
      name: o.k1,
      server,
      isMcp: server !== '',
      serverVersion: '',
      transport: '',
      url: '',
      firstSeen: null,
      lastSeen: null,
    }
    const detail = parseJson(o.detail)
    // The client end reports how the server is reached; the server end only fills what is missing.
    const prefer = o.k4 === 'client'
    for (const field of ['version', 'transport', 'url'] as const) {
      const value = typeof detail[field] === 'string' ? (detail[field] as string) : ''
      const target = field === 'version' ? 'serverVersion' : field
      if (value && (prefer || !entry[target])) entry[target] = value
    }
    entry.firstSeen = min(entry.firstSeen, o.firstSeen)
    entry.lastSeen = max(entry.lastSeen, o.lastSeen)
    byKey.set(key, entry)
  }
  const mcpNames = new Set([...byKey.values()].filter((t) => t.isMcp).map((t) => t.name))
  return [...byKey.values()]
    .filter((t) => t.isMcp || !mcpNames.has(t.name))
    .sort((a, b) => (a.server + a.name < b.server + b.name ? -1 : 1))
}

/** Schema of each (server, tool) from `tool_schema` observations: the latest listing wins. */
export function toolSchemas(observations: readonly Observation[]): Map<string, ToolSchemaInfo> {
  const listings = observations.filter((o) => o.entity === 'tool_schema')
  const latestListing = new Map<string, string>()
  for (const o of listings)
    if (o.k4 === 'tools/list') latestListing.set(o.k2, max(latestListing.get(o.k2) ?? null, o.lastSeen))
  const out = new Map<string, ToolSchemaInfo>()
  const groups = new Map<string, Observation[]>()
  for (const o of listings)
    groups.set(`${o.k4}\u0000${o.k2}\u0000${o.k1}`, [...(groups.get(`${o.k4}\u0000${o.k2}\u0000${o.k1}`) ?? []), o])
  for (const rows of groups.values()) {
    const latest = rows.reduce((a, b) => (b.lastSeen > a.lastSeen ? b : a))
    const source = latest.k4 === 'gen_ai' ? 'gen_ai' : 'tools/list'
    const definition = parseJson(latest.detail)
    const serverLatest = latestListing.get(latest.k2)
    const info: ToolSchemaInfo = {
      description: typeof definition.description === 'string' ? definition.description : '',
      inputSchema: (source === 'gen_ai' ? definition.parameters : definition.inputSchema) ?? null,
      source,
      versions: new Set(rows.map((r) => r.k3)).size,
      listed:
        source === 'tools/list' && serverLatest !== undefined
          ? Date.parse(latest.lastSeen) >= Date.parse(serverLatest) - 1_000
          : null,
      firstSeen: rows.reduce((a, b) => (b.firstSeen < a ? b.firstSeen : a), latest.firstSeen),
      lastSeen: latest.lastSeen,
    }
    const key = `${latest.k2}\u0000${latest.k1}`
    // An MCP listing beats a model's definition of the same tool.
    if (source === 'tools/list' || !out.has(key)) out.set(key, info)
  }
  return out
}

/** The schema of a tool: its server's listing, else any model's definition of that name. */
export function schemaFor(
  schemas: Map<string, ToolSchemaInfo>,
  server: string,
  name: string,
): ToolSchemaInfo | undefined {
  return schemas.get(`${server}\u0000${name}`) ?? schemas.get(`\u0000${name}`)
}

/** Tools only known from listings (never called): identities for them too. */
export function listedOnly(schemas: Map<string, ToolSchemaInfo>, known: readonly ToolIdentity[]): ToolIdentity[] {
  const have = new Set(known.map((t) => `${t.server}\u0000${t.name}`))
  const names = new Set(known.map((t) => t.name))
  const out: ToolIdentity[] = []
  for (const [key, info] of schemas) {
    const [server = '', name = ''] = key.split('\u0000')
    if (have.has(key) || (server === '' && names.has(name))) continue
    out.push({
      name,
      server,
      isMcp: server !== '',
      serverVersion: '',
      transport: '',
      url: '',
      firstSeen: info.firstSeen,
      lastSeen: info.lastSeen,
    })
  }
  return out
}

export { parseJson }
