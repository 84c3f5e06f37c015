/**
 * The registry's reads, composed: loads what a view needs (observations, cards, rollup totals and
 * sparklines over the range) and hands it to the pure view builders. Every read is scoped to a project.
 */
import type { FleetMapResponse, RegistryAgentsResponse, RegistryEvent, RegistryToolsResponse } from '@sightline/schema'
import type { RegistryRepository } from '../db/repositories/registry.js'
import type { RegistryHealthRepository, RegistryRange } from '../db/repositories/registry-health.js'
import { agentsView } from './agents-view.js'
import { CardRegistry } from './cards.js'
import { discoveryAgents, discoveryTools } from './discovery.js'
import { DriftScanner } from './drift-scanner.js'
import { fleetMap } from './fleet-map.js'
import { sparklines, sparklineStepMs } from './health.js'
import { toolsView } from './tools-view.js'
import { chTime } from '../db/sql.js'

export interface IsoRange {
  from: string
  to: string
}

/** The rollups' bucket: health is read from `agg_5m`. */
const BUCKET_MS = 300_000

/**
 * The range widened to whole rollup buckets, as the dashboards do: a bucket the range starts or ends
 * inside counts whole, so a range never drops the traces of its first minutes.
 */
const widen = (r: IsoRange) => ({
  fromMs: Math.floor(Date.parse(r.from) / BUCKET_MS) * BUCKET_MS,
  toMs: Math.ceil(Date.parse(r.to) / BUCKET_MS) * BUCKET_MS,
})

const chRange = (projectId: string, r: IsoRange): RegistryRange => {
  const { fromMs, toMs } = widen(r)
  return { projectId, from: chTime(fromMs), to: chTime(toMs) }
}

export class RegistryService {
  constructor(
    readonly repository: RegistryRepository,
    readonly health: RegistryHealthRepository,
    readonly cards: CardRegistry,
    readonly scanner: DriftScanner,
  ) {}

  private async series(projectId: string, r: IsoRange, dimType: 'agent' | 'tool') {
    const { fromMs, toMs } = widen(r)
    const stepMs = sparklineStepMs(fromMs, toMs)
    const points = Math.ceil((toMs - fromMs) / stepMs)
    const rows = await this.health.steps(chRange(projectId, r), [dimType], stepMs / 1000)
    return { stepMs, points, sparklines: sparklines(rows, points) }
  }

  async agents(projectId: string, r: IsoRange): Promise<RegistryAgentsResponse> {
    const [totals, series, observations, cards, openAnomalies] = await Promise.all([
      this.health.totals(chRange(projectId, r), ['agent', 'agent_release', 'agent_tool', 'agent_agent']),
      this.series(projectId, r, 'agent'),
      this.repository.observations(projectId, ['agent']),
      this.repository.cards(projectId),
      this.repository.openAnomaliesByAgent(projectId),
    ])
    return agentsView({ ...r, ...series, totals, observations, cards, openAnomalies })
  }

  async tools(projectId: string, r: IsoRange): Promise<RegistryToolsResponse> {
    const [totals, series, observations] = await Promise.all([
      this.health.totals(chRange(projectId, r), ['tool', 'agent_tool']),
      this.series(projectId, r, 'tool'),
      this.repository.observations(projectId, ['tool', 'tool_schema']),
    ])
    return toolsView({ ...r, ...series, totals, observations })
  }

  async map(projectId: string, r: IsoRange): Promise<FleetMapResponse> {
    const [totals, observations] = await Promise.all([
      this.health.totals(chRange(projectId, r), ['agent', 'tool', 'agent_tool', 'agent_agent'], false),
      // Identities only: the map draws what ran, so listed-only tools and schemas are not needed.
      this.repository.observations(projectId, ['agent', 'tool']),
    ])
    return fleetMap({ ...r, totals, observations })
  }

  edgeTraces(
    projectId: string,
    r: IsoRange,
    kind: 'agent_tool' | 'agent_agent',
    source: string,
    target: string,
    limit: number,
  ) {
    const value = source === '' && target === '' ? '' : `${source}\u0000${target}`
    return this.health.edgeTraces(chRange(projectId, r), kind, value, limit)
  }

  async events(
    projectId: string,
    q: IsoRange & { kind?: string | undefined; subject?: string | undefined; limit: number },
  ): Promise<RegistryEvent[]> {
    const rows = await this.repository.events(projectId, q)
    return rows.map((e) => ({
      ...e,
      kind: e.kind as RegistryEvent['kind'],
      diff: JSON.parse(e.diff) as RegistryEvent['diff'],
    }))
  }

  async discoveryAgents(projectId: string, q: Parameters<typeof discoveryAgents>[1]) {
    return discoveryAgents(await this.repository.cards(projectId), q)
  }

  async discoveryTools(projectId: string, r: IsoRange, q: Parameters<typeof discoveryTools>[2]) {
    const [observations, totals] = await Promise.all([
      this.repository.observations(projectId, ['tool', 'tool_schema']),
      this.health.totals(chRange(projectId, r), ['tool', 'agent_tool'], false),
    ])
    return discoveryTools(observations, totals, q)
  }
}
