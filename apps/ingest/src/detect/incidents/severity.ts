import type { IncidentFamily, IncidentSeverity } from '@sightline/schema'
import { isSeriesFamily } from './grouping.js'

/**
 * Severity from size × spread. Size: how far from normal the worst finding is, in doublings
 * (log2 of observed / expected; a loop of 8 identical calls is 3). Spread: how many production
 * traces are affected (log10, so 9 traces count 1 and 99 count 2). Trace rules need a minimum size
 * before they alert: with fewer than `minTracesToAlert` affected traces such an incident stays
 * `info` (listed in the feed, never sent); series incidents passed their own statistical
 * confirmation and start at `warning`.
 */
export interface SeverityRules {
  warningScore: number
  criticalScore: number
  minTracesToAlert: number
}

export const DEFAULT_SEVERITY_RULES: SeverityRules = { warningScore: 1.5, criticalScore: 6, minTracesToAlert: 3 }

export function severityOf(
  family: IncidentFamily,
  observed: number,
  expected: number,
  traceCount: number,
  rules: SeverityRules = DEFAULT_SEVERITY_RULES,
): { severity: IncidentSeverity; score: number } {
  const r = expected > 0 ? observed / expected : observed > 0 ? 8 : 1
  const size = Math.log2(Math.min(Math.max(r, 1), 1024))
  const spread = Math.log10(1 + Math.max(0, traceCount))
  const score = Math.round(size * (1 + spread) * 100) / 100
  if (!isSeriesFamily(family) && family !== 'release_latency' && traceCount < rules.minTracesToAlert)
    return { severity: 'info', score }
  if (score >= rules.criticalScore) return { severity: 'critical', score }
  if (score >= rules.warningScore || isSeriesFamily(family) || family === 'release_latency')
    return { severity: 'warning', score }
  return { severity: 'info', score }
}

const RANK: Record<IncidentSeverity | '', number> = { '': 0, info: 1, warning: 2, critical: 3 }
export const severityRank = (severity: IncidentSeverity | '') => RANK[severity]
