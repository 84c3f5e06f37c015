import type { Anomaly, IncidentFamily, IncidentScope } from '@sightline/schema'

/**
 * Which findings belong together. Pure: the incident manager asks, for each new finding, which of
 * the project's unresolved incidents it joins (or none: a new incident).
 *
 * - Series findings (a metric of one dimension value over time: cost, latency, error rate) are
 *   about the project's traffic at a moment, and one event shows on many series within minutes (a
 *   cost spike moves the total, the agent, the model, the release, their tokens…). A series finding
 *   joins an unresolved series incident that already holds a finding on the same dimension value (a
 *   database incident raises the tool's error rate and its latency; a value firing again while its
 *   incident holds before resolving is that incident flapping), or an active one whose latest
 *   finding started within `correlateMs` of it: findings starting in a chain, minutes apart, are one
 *   event; the same metric moving again later, elsewhere, is another.
 * - Everything else joins by its group key: the same kind of finding for the same agent, tool and
 *   release (every looping trace of planner on `weather` is one incident).
 */
const SERIES_FAMILIES: readonly IncidentFamily[] = ['cost', 'latency', 'errors']

export interface FindingFacts {
  family: IncidentFamily
  /** For non-series families: findings with the same key join the same incident. */
  groupKey: string
  scope: IncidentScope
  /** The finding's own dimension value, e.g. `tool\0db_lookup` ('' for the project total). */
  dimKey: string
}

export const EMPTY_SCOPE: IncidentScope = { agent: '', tool: '', model: '', release: '' }

/** What a finding is about, read from the anomaly (and, for trajectory findings, the agent it names). */
export function findingFacts(
  anomaly: Pick<Anomaly, 'kind' | 'dimension' | 'value' | 'metric'>,
  agent = '',
): FindingFacts {
  const scope = { ...EMPTY_SCOPE }
  const dimKey =
    anomaly.dimension === 'total' || anomaly.dimension === 'trace' ? '' : `${anomaly.dimension}\u0000${anomaly.value}`
  if (
    anomaly.dimension === 'agent' ||
    anomaly.dimension === 'model' ||
    anomaly.dimension === 'tool' ||
    anomaly.dimension === 'release'
  )
    scope[anomaly.dimension] = anomaly.value
  const isSeries = anomaly.kind === 'spike' || anomaly.kind === 'level_shift'
  // The release comparison (release-latency.ts) is the only level shift on latency; the series tiers' are cost and
  // tokens.
  if (anomaly.kind === 'level_shift' && anomaly.dimension === 'release' && anomaly.metric === 'latency_p95') {
    return {
      family: 'release_latency',
      groupKey: `release_latency\u0000${anomaly.value}`,
      scope: { ...scope, agent },
      dimKey,
    }
  }
  if (isSeries) {
    const family: IncidentFamily =
      anomaly.metric === 'latency_p95' ? 'latency' : anomaly.metric === 'error_rate' ? 'errors' : 'cost'
    return { family, groupKey: family, scope, dimKey }
  }
  switch (anomaly.kind) {
    case 'tool_loop':
      return {
        family: 'loop',
        groupKey: `loop\u0000${agent}\u0000${anomaly.value}`,
        scope: { ...scope, agent, tool: anomaly.value },
        dimKey,
      }
    case 'tool_error_burst':
      return {
        family: 'tool_errors',
        groupKey: `tool_errors\u0000${agent}\u0000${anomaly.value}`,
        scope: { ...scope, agent, tool: anomaly.value.includes(',') ? '' : anomaly.value },
        dimKey,
      }
    case 'score_drop':
      return { family: 'score_drop', groupKey: `score_drop\u0000${anomaly.value}`, scope, dimKey }
    case 'unfinished_agent':
      return {
        family: 'unfinished',
        groupKey: `unfinished\u0000${anomaly.value}`,
        scope: { ...scope, agent: anomaly.value },
        dimKey,
      }
    default:
      return {
        family: 'outlier',
        groupKey: `outlier\u0000${anomaly.metric}\u0000${anomaly.value}`,
        scope: { ...scope, agent: anomaly.value },
        dimKey,
      }
  }
}

/** What grouping needs to know of an unresolved incident. */
export interface GroupCandidate {
  id: string
  groupKey: string
  families: readonly IncidentFamily[]
  /** Dimension values of its findings (see FindingFacts.dimKey). */
  dimKeys: ReadonlySet<string>
  /** When its most recent finding started. */
  lastOnsetMs: number
  signalActive: boolean
}

export function isSeriesFamily(family: IncidentFamily): boolean {
  return SERIES_FAMILIES.includes(family)
}

/** The incident a new finding joins, or undefined for a new one. The most recent candidate wins ties. */
export function chooseIncident(
  finding: FindingFacts,
  startedAtMs: number,
  candidates: readonly GroupCandidate[],
  correlateMs: number,
): GroupCandidate | undefined {
  if (!isSeriesFamily(finding.family)) return [...candidates].reverse().find((c) => c.groupKey === finding.groupKey)
  const series = candidates.filter((c) => c.families.some(isSeriesFamily)).sort((a, b) => b.lastOnsetMs - a.lastOnsetMs)
  // The same value firing again while its incident holds before resolving is that incident flapping.
  return (
    (finding.dimKey === '' ? undefined : series.find((c) => c.dimKeys.has(finding.dimKey))) ??
    series.find((c) => c.signalActive && Math.abs(startedAtMs - c.lastOnsetMs) <= correlateMs)
  )
}

/** Merges a finding's scope into an incident's: the first finding to narrow a field decides it. */
export function mergeScope(into: IncidentScope, from: IncidentScope): IncidentScope {
  return {
    agent: into.agent || from.agent,
    tool: into.tool || from.tool,
    model: into.model || from.model,
    release: into.release || from.release,
  }
}
