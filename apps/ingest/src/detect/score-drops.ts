/**
 * Score drops as anomaly findings: the last hour of each production score against the 24 hours
 * before (core's scoreDrop decides), one episode per project and score name, through the same
 * episode machinery as the other findings (persisted, notified, resolved after quiet).
 */
import { scoreDrop, type ScoreWindow } from '@sightline/core'
import type { ScoreConfigRepository } from '../db/repositories/score-configs.js'
import {
  passExpression,
  type ScoreAnalyticsRepository,
  type ScoreWindowRow,
} from '../db/repositories/score-analytics.js'
import type { TrajectoryFinding } from './trajectory.js'
import { chTime } from '../db/sql.js'

const HOUR = 3_600_000

export async function findScoreDrops(
  analytics: ScoreAnalyticsRepository,
  configs: ScoreConfigRepository,
  nowMs: number,
): Promise<TrajectoryFinding[]> {
  const from = chTime(nowMs - 25 * HOUR)
  const projectIds = await analytics.activeProjects(chTime(nowMs - HOUR))
  const passes = new Map(
    await Promise.all(projectIds.map(async (id) => [id, passExpression(await configs.list(id))] as const)),
  )
  const rows = await analytics.windows({
    from,
    split: chTime(nowMs - HOUR),
    to: chTime(nowMs),
    projectIds,
    passFor: (id) => passes.get(id)!,
  })
  const findings: TrajectoryFinding[] = []
  for (const row of rows) {
    const drop = scoreDrop(row.name, window(row, 'cur'), window(row, 'base'))
    if (!drop) continue
    findings.push({
      projectId: row.project_id,
      kind: 'score_drop',
      dimension: 'score',
      value: row.name,
      agent: '',
      metric: drop.metric,
      key: scoreDropKey(row.name),
      observed: drop.observed,
      expected: drop.expected,
      score: drop.ratio,
      traceIds: row.trace_ids,
      summary: `Score drop: ${drop.summary}`,
    })
  }
  return findings
}

export const scoreDropKey = (name: string) => `score-drop:${name}`

function window(row: ScoreWindowRow, side: 'cur' | 'base'): ScoreWindow {
  const num = (v: number | null) => (v === null || !Number.isFinite(Number(v)) ? null : Number(v))
  return {
    n: Number(row[`${side}_n`]),
    mean: num(row[`${side}_mean`]),
    variance: num(row[`${side}_var`]),
    passes: Number(row[`${side}_passes`]),
    passable: Number(row[`${side}_passable`]),
  }
}
