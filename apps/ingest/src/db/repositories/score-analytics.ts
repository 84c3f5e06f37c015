/**
 * Scores where people look: series of a score's mean, pass rate or count over time by release,
 * agent, model or source; per-release statistics (mean with a Student-t interval, pass rate with a
 * Wilson interval) and their comparison (Welch's t-test, two-proportion z-test). Read from the
 * current scores (FINAL) of a time range on `time` (the scored trace's start), errors excluded
 * from values and counted apart. What passes comes from the project's score configs.
 */
import { meanInterval, twoProportionTest, welchTTest, wilsonInterval } from '@sightline/core'
import type { ReleaseDiff, ReleaseScore, ScoreConfig, ScoreDimension, ScoreMetric } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, join, sql, str, strArray, u64, type SqlFragment } from '../sql.js'

export type Population = 'production' | 'ci' | 'all'

/** 1 pass, 0 fail, NULL no pass rule, per score (boolean: true; numeric: ≥ threshold; categorical: a pass label). */
export function passExpression(configs: readonly ScoreConfig[]): SqlFragment {
  const branches: SqlFragment[] = [sql`data_type = 'boolean', toNullable(value = 1)`]
  for (const c of configs) {
    if (c.dataType === 'numeric' && c.passThreshold !== undefined)
      branches.push(
        sql`name = ${str(c.name)} AND data_type = 'numeric',
          toNullable(value >= toFloat64(${str(String(c.passThreshold))}))`,
      )
    if (c.dataType === 'categorical' && c.passValues)
      branches.push(
        sql`name = ${str(c.name)} AND data_type = 'categorical', toNullable(has(${strArray(c.passValues)},
          string_value))`,
      )
  }
  return sql`multiIf(${join(branches, ', ')}, NULL)`
}

const populationFilter = (p: Population): SqlFragment =>
  p === 'production' ? sql`source != 'ci'` : p === 'ci' ? sql`source = 'ci'` : sql`1`

const DIMENSIONS: Record<ScoreDimension, SqlFragment> = {
  total: sql`''`,
  release: sql`release`,
  agent: sql`agent`,
  model: sql`arrayJoin(if(empty(models), [''], models))`,
  source: sql`toString(source)`,
}

const STEPS: Record<'5m' | '1h' | '1d', SqlFragment> = {
  '5m': sql`toStartOfFiveMinutes(time)`,
  '1h': sql`toStartOfHour(time)`,
  '1d': sql`toStartOfDay(time)`,
}

interface SeriesRow {
  k: string
  t: string
  n: string
  mean: number | null
  passes: string
  passable: string
}

interface StatRow {
  rel: string
  name: string
  pop: 'production' | 'ci'
  n: string
  errors: string
  numeric_n: string
  mean: number | null
  variance: number | null
  passes: string
  passable: string
  ones: string
  non_binary: string
}

/** Current, non-deleted scores of a project in [from, to) on `time`. */
function scoped(projectId: string, from: string, to: string, extra: SqlFragment[] = []): SqlFragment {
  const conditions = [
    sql`project_id = ${str(projectId)}`,
    sql`is_deleted = 0`,
    sql`time >= ${dt64(from)}`,
    sql`time < ${dt64(to)}`,
    ...extra,
  ]
  return sql`(SELECT * FROM scores FINAL WHERE ${join(conditions, ' AND ')})`
}

export interface ScoreWindowRow {
  project_id: string
  name: string
  cur_n: string
  cur_mean: number | null
  cur_var: number | null
  cur_passes: string
  cur_passable: string
  base_n: string
  base_mean: number | null
  base_var: number | null
  base_passes: string
  base_passable: string
  trace_ids: string[]
}

export class ScoreAnalyticsRepository {
  constructor(private readonly store: Store) {}

  /**
   * The series the anomaly detector reads for score drops: per project and score name (production
   * scores, errors left out), the window [split, to) against the baseline [from, split), with the
   * window's worst-scored traces (failing ones first). `passFor` gives each project's pass rule.
   */
  async windows(p: {
    from: string
    split: string
    to: string
    passFor: (projectId: string) => SqlFragment
    projectIds: readonly string[]
  }): Promise<ScoreWindowRow[]> {
    const out: ScoreWindowRow[] = []
    for (const projectId of p.projectIds) {
      const pass = p.passFor(projectId)
      const cur = sql`time >= ${dt64(p.split)}`
      const ok = sql`error = '' AND data_type != 'categorical'`
      out.push(
        ...(await this.store.query<ScoreWindowRow>(sql`
        SELECT project_id, name,
          countIf(${cur} AND error = '') AS cur_n, avgIf(value, ${cur} AND ${ok}) AS cur_mean, varSampIf(value,
            ${cur} AND ${ok}) AS cur_var,
          countIf(${cur} AND error = '' AND ${pass} = 1) AS cur_passes,
            countIf(${cur} AND error = '' AND isNotNull(${pass})) AS cur_passable,
          countIf(NOT ${cur} AND error = '') AS base_n, avgIf(value, NOT ${cur} AND ${ok}) AS base_mean,
            varSampIf(value, NOT ${cur} AND ${ok}) AS base_var,
          countIf(NOT ${cur} AND error = '' AND ${pass} = 1) AS base_passes,
            countIf(NOT ${cur} AND error = '' AND isNotNull(${pass})) AS base_passable,
          arrayMap(x -> x.1, arraySlice(arraySort(x -> x.2, groupArrayIf((trace_id, if(isNull(${pass}), value,
            toFloat64(assumeNotNull(${pass})))), ${cur} AND ${ok} AND trace_id != '')), 1, 10)) AS trace_ids
        FROM ${scoped(projectId, p.from, p.to, [populationFilter('production')])}
        GROUP BY project_id, name HAVING cur_n > 0`)),
      )
    }
    return out
  }

  /** Projects with production scores since `from`. */
  async activeProjects(from: string): Promise<string[]> {
    const rows = await this.store.query<{ project_id: string }>(
      sql`SELECT DISTINCT project_id FROM scores WHERE time >= ${dt64(from)} AND source != 'ci'`,
    )
    return rows.map((r) => r.project_id)
  }

  async series(
    projectId: string,
    p: {
      name: string
      metric: ScoreMetric
      dimension: ScoreDimension
      population: Population
      from: string
      to: string
      step: '5m' | '1h' | '1d'
      configs: readonly ScoreConfig[]
    },
  ): Promise<SeriesRow[]> {
    const pass = passExpression(p.configs)
    return this.store.query<SeriesRow>(sql`
      SELECT ${DIMENSIONS[p.dimension]} AS k, toString(${STEPS[p.step]}) AS t, countIf(error = '') AS n,
        avgIf(value, error = '' AND data_type != 'categorical') AS mean_raw,
          if(countIf(error = '' AND data_type != 'categorical') = 0, NULL, mean_raw) AS mean,
        countIf(error = '' AND ${pass} = 1) AS passes, countIf(error = '' AND isNotNull(${pass})) AS passable
      FROM ${scoped(projectId, p.from, p.to, [sql`name = ${str(p.name)}`, populationFilter(p.population)])}
      GROUP BY k, t ORDER BY k, t`)
  }

  /** Per release, score name and population (production / ci): counts, mean and variance of values, passes. */
  async releaseStats(
    projectId: string,
    p: { from: string; to: string; releases?: string[]; names?: string[]; configs: readonly ScoreConfig[] },
  ): Promise<Map<string, ReleaseScore[]>> {
    const pass = passExpression(p.configs)
    const extra = [sql`release != ''`]
    if (p.releases?.length) extra.push(sql`release IN ${strArray(p.releases)}`)
    if (p.names?.length) extra.push(sql`name IN ${strArray(p.names)}`)
    const rows = await this.store.query<StatRow>(sql`
      SELECT release AS rel, name, if(source = 'ci', 'ci', 'production') AS pop, count() AS n,
        countIf(error != '') AS errors,
        countIf(error = '' AND data_type != 'categorical') AS numeric_n,
        if(numeric_n = 0, NULL, avgIf(value, error = '' AND data_type != 'categorical')) AS mean,
        if(numeric_n < 2, NULL, varSampIf(value, error = '' AND data_type != 'categorical')) AS variance,
        countIf(error = '' AND ${pass} = 1) AS passes, countIf(error = '' AND isNotNull(${pass})) AS passable,
        countIf(error = '' AND data_type != 'categorical' AND value = 1) AS ones,
          countIf(error = '' AND data_type != 'categorical' AND value NOT IN (0, 1)) AS non_binary
      FROM ${scoped(projectId, p.from, p.to, extra)}
      GROUP BY rel, name, pop ORDER BY rel, name, pop LIMIT ${u64(10_000)}`)
    const out = new Map<string, ReleaseScore[]>()
    for (const r of rows) {
      const list = out.get(r.rel) ?? []
      list.push(releaseScore(r))
      out.set(r.rel, list)
    }
    return out
  }
}

/** Mean (Student t) and pass rate (Wilson) of one release's score; variance is kept for comparisons. */
function releaseScore(r: StatRow): ReleaseScore & { variance: number } {
  const n = Number(r.numeric_n)
  const mean = r.mean === null ? 0 : Number(r.mean)
  const variance = r.variance === null ? 0 : Number(r.variance)
  const passable = Number(r.passable)
  const passes = Number(r.passes)
  return {
    name: r.name,
    population: r.pop,
    n: Number(r.n) - Number(r.errors),
    errors: Number(r.errors),
    // A yes/no score's mean is a proportion: a Wilson interval stays within 0–1 where a t interval would not.
    mean:
      n === 0
        ? { estimate: null, ciLow: null, ciHigh: null }
        : Number(r.non_binary) === 0
          ? wilsonInterval(Number(r.ones), n)
          : meanInterval({ n, mean, variance }),
    passRate: passable === 0 ? null : { ...wilsonInterval(passes, passable), successes: passes, n: passable },
    variance,
  }
}

export const SCORE_METHODS = {
  mean:
    "Mean of the score values (true = 1) over the release's scored traces, " +
    'with a 95% Student-t interval (a Wilson interval when every value is 0 or 1); ' +
    "b-a by Welch's t-test (unequal variances).",
  passRate:
    'Share of values that pass under the score config (true; ≥ pass threshold; a pass label), ' +
    'with a 95% Wilson interval; b-a by a two-proportion z-test (pooled SE) with a Newcombe hybrid-score CI.',
}

/** b − a for one score name and population. */
export function compareScores(
  a: ReleaseScore | undefined,
  b: ReleaseScore | undefined,
): { meanDiff: ReleaseDiff; passRateDiff: ReleaseDiff | null } {
  const summary = (s: ReleaseScore | undefined) => ({
    n: s?.mean.estimate === null || !s ? 0 : s.n,
    mean: s?.mean.estimate ?? 0,
    variance: (s as (ReleaseScore & { variance?: number }) | undefined)?.variance ?? 0,
  })
  const welch = welchTTest(summary(a), summary(b))
  const meanDiff: ReleaseDiff = {
    estimate: welch.estimate,
    ciLow: welch.ciLow,
    ciHigh: welch.ciHigh,
    pValue: welch.pValue,
    method: "Welch's t-test on score values, 95% CI for b-a",
  }
  if (!a?.passRate || !b?.passRate) return { meanDiff, passRateDiff: null }
  const t = twoProportionTest(a.passRate.successes, a.passRate.n, b.passRate.successes, b.passRate.n)
  return {
    meanDiff,
    passRateDiff: { ...t, method: 'Two-proportion z-test (pooled SE); Newcombe hybrid-score 95% CI for b-a' },
  }
}
