/**
 * The dashboards' state as URL search params: a range preset (relative to now) or absolute
 * from/to, and the group-by of the cost chart. Forgiving parse, like the explorer's.
 */
import type { AnalyticsStep } from '@sightline/schema'

export const DASHBOARD_RANGES = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const
type DashboardRange = keyof typeof DASHBOARD_RANGES
export const GROUP_BYS = ['model', 'agent', 'user', 'service', 'release'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface DashboardQuery {
  range: DashboardRange | 'custom'
  from: string
  to: string
  groupBy: GroupBy
}

const DEFAULT_DASHBOARD_RANGE: DashboardRange = '24h'

const isIso = (v: string) => v !== '' && Number.isFinite(Date.parse(v))

export function parseDashboardQuery(search: string): DashboardQuery {
  const p = new URLSearchParams(search)
  const from = p.get('from') ?? ''
  const to = p.get('to') ?? ''
  const range = p.get('range')
  const isCustom = (range === 'custom' || !range) && isIso(from) && isIso(to) && Date.parse(from) < Date.parse(to)
  const groupBy = p.get('groupBy')
  return {
    range: isCustom
      ? 'custom'
      : range && range in DASHBOARD_RANGES
        ? (range as DashboardRange)
        : DEFAULT_DASHBOARD_RANGE,
    from: isCustom ? from : '',
    to: isCustom ? to : '',
    groupBy: (GROUP_BYS as readonly string[]).includes(groupBy ?? '') ? (groupBy as GroupBy) : 'model',
  }
}

export function serializeDashboardQuery(q: DashboardQuery): string {
  const p = new URLSearchParams()
  if (q.range === 'custom') {
    p.set('from', q.from)
    p.set('to', q.to)
  } else if (q.range !== DEFAULT_DASHBOARD_RANGE) p.set('range', q.range)
  if (q.groupBy !== 'model') p.set('groupBy', q.groupBy)
  return p.toString()
}

/** Absolute bounds; a preset ends at `now` (callers round it so queries stay stable). */
export function resolveDashboardRange(q: DashboardQuery, now: number): { from: string; to: string } {
  if (q.range === 'custom') return { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() }
  return { from: new Date(now - DASHBOARD_RANGES[q.range]).toISOString(), to: new Date(now).toISOString() }
}

/** About 12–300 points per chart: 5 min up to 6 h, hourly up to 7 days, daily beyond. */
export function stepFor(range: { from: string; to: string }): AnalyticsStep {
  const ms = Date.parse(range.to) - Date.parse(range.from)
  if (ms <= 6 * 3_600_000) return '5m'
  if (ms <= 7 * 86_400_000) return '1h'
  return '1d'
}

export const STEP_MS: Record<AnalyticsStep, number> = { '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 }
