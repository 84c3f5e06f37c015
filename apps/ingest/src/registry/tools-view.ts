/**
 * The registry's tools over a range: every MCP tool (server, version, transport/URL as reported) and
 * every local function tool, with its input schema when a listing or a model's definitions carried
 * one, the agents calling it, and its health from the rollups.
 */
import { splitPairKey } from '@sightline/core'
import type { RegistryTool, RegistryToolsResponse } from '@sightline/schema'
import type { Observation } from '../db/repositories/registry.js'
import type { DimensionTotals } from '../db/repositories/registry-health.js'
import { healthOf, indexTotals } from './health.js'
import { listedOnly, schemaFor, toolIdentities, toolSchemas, type ToolIdentity } from './tool-identity.js'

export interface ToolsViewInput {
  from: string
  to: string
  stepMs: number
  totals: readonly DimensionTotals[]
  sparklines: Map<string, number[]>
  points: number
  observations: readonly Observation[]
}

/** Every tool known to the registry (called, or only listed). */
export function allTools(observations: readonly Observation[]): ToolIdentity[] {
  const identities = toolIdentities(observations)
  return [...identities, ...listedOnly(toolSchemas(observations), identities)]
}

export function toolsView(input: ToolsViewInput): RegistryToolsResponse {
  const totals = indexTotals(input.totals)
  const schemas = toolSchemas(input.observations)
  const identities = allTools(input.observations)
  const active = new Set(input.totals.filter((t) => t.dimType === 'tool' && t.dimValue !== '').map((t) => t.dimValue))
  const callers = input.totals
    .filter((t) => t.dimType === 'agent_tool')
    .map((t) => ({ totals: t, ends: splitPairKey(t.dimValue) }))
  const known = new Set(identities.map((t) => t.name))
  // A tool the rollups saw that no observation names (stored before the registry existed): local.
  for (const name of active)
    if (!known.has(name))
      identities.push({
        name,
        server: '',
        isMcp: false,
        serverVersion: '',
        transport: '',
        url: '',
        firstSeen: null,
        lastSeen: null,
      })

  const tools = identities
    .filter((t) => active.has(t.name) || (t.lastSeen !== null && t.lastSeen >= input.from))
    .map((t): RegistryTool => {
      const schema = schemaFor(schemas, t.server, t.name)
      return {
        name: t.name,
        server: t.server,
        isMcp: t.isMcp,
        serverVersion: t.serverVersion,
        transport: t.transport,
        url: t.url,
        description: schema?.description ?? '',
        inputSchema: schema?.inputSchema ?? null,
        schemaSource: schema?.source ?? null,
        schemaVersions: schema?.versions ?? 0,
        listed: schema?.listed ?? null,
        callers: callers
          .filter((c) => c.ends[1] === t.name)
          .map((c) => ({ agent: c.ends[0], calls: c.totals.units, failures: c.totals.failures }))
          .sort((a, b) => b.calls - a.calls || (a.agent < b.agent ? -1 : 1)),
        health: healthOf(
          totals.get(`tool\u0000${t.name}`),
          input.sparklines.get(`tool\u0000${t.name}`) ?? new Array<number>(input.points).fill(0),
        ),
        firstSeen: t.firstSeen,
        lastSeen: t.lastSeen,
      }
    })
    .sort((a, b) => (a.server === b.server ? (a.name < b.name ? -1 : 1) : a.server < b.server ? -1 : 1))
  return { from: input.from, to: input.to, stepMs: input.stepMs, tools }
}
