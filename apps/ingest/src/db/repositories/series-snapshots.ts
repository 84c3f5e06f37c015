import type { Store } from '../client.js'
import { histogramQuantileSql } from '../histogram-sql.js'
import { chTimeSeconds, chTimeToMs, ident, sql, str, strArray, u64, type SqlFragment } from '../sql.js'
import { OTHER_USERS, type DetectorConfig } from '../../detect/config.js'
import { DIM_TYPES, evaluationClock, type SeriesSnapshot } from '../../detect/snapshot.js'

/**
 * ClickHouse builds the series and their seasonal baselines from `agg_5m` (resolved traces: calls are
 * the dimension's units, errors their failures, latency the units' histogram): a constant number of
 * rows per series (the open and previous buckets plus 7 × 7 baseline slots), never raw spans.
 *
 * Baseline maths: for additive metrics, every slot at or after the series' first bucket counts,
 * and a slot with no row is a known zero (no traffic); slots before the first bucket are unknown
 * and left out. Latency and error-rate baselines only use slots that had requests. Medians are
 * `quantileExactInclusive` (linear interpolation), the same as `quantileInclusive` in robust.ts.
 */
interface SnapshotRow {
  project_id: string
  dim_type: string
  dim_value: string
  first_seen_text: string
  cur_cost: number
  prev_cost: number
  cur_tokens: string
  prev_tokens: string
  cur_calls: string
  prev_calls: string
  cur_errors: string
  prev_errors: string
  window_p95: number
  n_valid: string
  cost_med: number
  cost_mad: number
  tokens_med: number
  tokens_mad: number
  calls_med: number
  calls_mad: number
  lat_med: number
  lat_mad: number
  lat_n: string
  err_med: number
  err_mad: number
  err_n: string
  err_pooled: number | null
}

const SERIES = ['cost', 'tokens', 'calls', 'lat', 'err'] as const
const ALIASES = SERIES.flatMap((s) => [`${s}_vals`, `${s}_med`, `${s}_mad`])
const medianOf = (array: SqlFragment) => sql`arrayReduce('quantileExactInclusive(0.5)', ${array})`

/** Median and MAD of the array column `<name>_vals`, as `<name>_med` and `<name>_mad`. */
function medMad(name: (typeof SERIES)[number]): SqlFragment {
  const values = ident(`${name}_vals`, ALIASES)
  const med = ident(`${name}_med`, ALIASES)
  const vals = sql`${values}`
  return sql`if(empty(${vals}), nan, ${medianOf(vals)}) AS ${med},
    if(empty(${vals}), nan, ${medianOf(sql`arrayMap(v -> abs(v - ${med}), ${vals})`)}) AS
      ${ident(`${name}_mad`, ALIASES)}`
}

/** Users outside the project's top K by spend are pooled into one series. */
function dimValueExpr(config: DetectorConfig, sinceText: string): SqlFragment {
  return sql`if(dim_type = 'user' AND (project_id, dim_value) NOT IN (
      SELECT project_id, dim_value FROM agg_5m
      WHERE dim_type = 'user' AND bucket >= toDateTime(${str(sinceText)}, 'UTC')
      GROUP BY project_id, dim_value ORDER BY sum(cost_usd) DESC, dim_value LIMIT ${u64(config.topUsers)} BY project_id
    ), ${str(OTHER_USERS)}, dim_value)`
}

function snapshotQuery(nowMs: number, config: DetectorConfig, projectIds?: readonly string[]): SqlFragment {
  const clock = evaluationClock(nowMs, config)
  const since = chTimeSeconds(clock.prevMs - (config.baselineDays + 1) * 86_400_000)
  const dimValue = dimValueExpr(config, chTimeSeconds(clock.nowMs - 7 * 86_400_000))
  // agg_5m rows re-bucketed to the tier's width (5 min, or 1 h for the hourly tier).
  const width = sql`toStartOfInterval(agg_5m.bucket, toIntervalSecond(${u64(config.bucketMs / 1000)}))`
  // Only the dimensions series are judged on (agent_release is an internal rollup of the release-latency rule).
  const projectFilter = projectIds
    ? sql`has(${strArray([...projectIds])}, project_id) AND dim_type IN ${strArray([...DIM_TYPES])}`
    : sql`dim_type IN ${strArray([...DIM_TYPES])}`
  return sql`
    WITH
      toDateTime(${str(chTimeSeconds(clock.curMs))}, 'UTC') AS cur_b,
      toDateTime(${str(chTimeSeconds(clock.prevMs))}, 'UTC') AS prev_b,
      arrayMap(x -> toDateTime(x, 'UTC'), ${strArray(clock.slotsMs.map(chTimeSeconds))}) AS slot_list
    SELECT project_id, dim_type, dim_value, toString(first_seen) AS first_seen_text,
      cur_cost, prev_cost, cur_tokens, prev_tokens, cur_calls, prev_calls, cur_errors, prev_errors, window_p95,
      toUInt64(arrayCount(s -> s >= first_seen, slot_list)) AS n_valid,
      arrayConcat(arrayMap(r -> r.2, slot_rows), arrayWithConstant(n_valid - length(slot_rows), 0.)) AS cost_vals,
      arrayConcat(arrayMap(r -> r.3, slot_rows), arrayWithConstant(n_valid - length(slot_rows), 0.)) AS tokens_vals,
      arrayConcat(arrayMap(r -> r.4, slot_rows), arrayWithConstant(n_valid - length(slot_rows), 0.)) AS calls_vals,
      arrayMap(r -> r.6, arrayFilter(r -> r.4 > 0, slot_rows)) AS lat_vals,
      arrayMap(r -> r.5 / r.4, arrayFilter(r -> r.4 > 0, slot_rows)) AS err_vals,
      ${medMad('cost')}, ${medMad('tokens')}, ${medMad('calls')},
      ${medMad('lat')}, length(lat_vals) AS lat_n,
      ${medMad('err')}, length(err_vals) AS err_n,
      arraySum(arrayMap(r -> r.5, slot_rows)) / arraySum(arrayMap(r -> r.4, slot_rows)) AS err_pooled
    FROM (
      SELECT project_id, dim_type, dim_value, any(fs) AS first_seen,
        sumIf(c_cost, bucket = cur_b) AS cur_cost, sumIf(c_cost, bucket = prev_b) AS prev_cost,
        sumIf(c_tokens, bucket = cur_b) AS cur_tokens, sumIf(c_tokens, bucket = prev_b) AS prev_tokens,
        sumIf(c_calls, bucket = cur_b) AS cur_calls, sumIf(c_calls, bucket = prev_b) AS prev_calls,
        sumIf(c_errors, bucket = cur_b) AS cur_errors, sumIf(c_errors, bucket = prev_b) AS prev_errors,
        ${histogramQuantileSql(sql`sumMapIf(lat, bucket IN (cur_b, prev_b) AND c_calls > 0)`, 0.95)} AS window_p95,
        groupArrayIf((bucket, c_cost, toFloat64(c_tokens), toFloat64(c_calls), toFloat64(c_errors), p95), has(slot_list,
          bucket) AND bucket >= fs) AS slot_rows
      FROM (
        SELECT project_id, dim_type, ${dimValue} AS dim_value, ${width} AS bucket,
          toFloat64(sum(cost_usd)) AS c_cost, sum(input_tokens + output_tokens) AS c_tokens, sum(units) AS c_calls,
            sum(unit_failures) AS c_errors,
          sumMap(latency) AS lat,
          ${histogramQuantileSql(sql`lat`, 0.95)} AS p95
        FROM agg_5m
        WHERE ${projectFilter} AND (${width} IN (cur_b, prev_b) OR has(slot_list, ${width}))
        GROUP BY project_id, dim_type, dim_value, ${width}
      ) AS b
      INNER JOIN (
        SELECT project_id, dim_type, ${dimValue} AS dim_value, min(bucket) AS fs
        FROM agg_5m WHERE ${projectFilter} AND bucket >= toDateTime(${str(since)}, 'UTC')
        GROUP BY project_id, dim_type, dim_value
      ) AS f USING (project_id, dim_type, dim_value)
      GROUP BY project_id, dim_type, dim_value
    )`
}

export async function querySnapshots(
  store: Store,
  nowMs: number,
  config: DetectorConfig,
  projectIds?: readonly string[],
): Promise<SeriesSnapshot[]> {
  const rows = await store.query<SnapshotRow>(snapshotQuery(nowMs, config, projectIds))
  return rows.map(rowToSnapshot)
}

const num = (value: unknown) => (value === null || value === undefined ? Number.NaN : Number(value))

function rowToSnapshot(row: SnapshotRow): SeriesSnapshot {
  const nValid = num(row.n_valid)
  return {
    projectId: row.project_id,
    dimType: row.dim_type,
    dimValue: row.dim_value,
    firstSeenMs: chTimeToMs(row.first_seen_text),
    cur: {
      cost: num(row.cur_cost),
      tokens: num(row.cur_tokens),
      calls: num(row.cur_calls),
      errors: num(row.cur_errors),
    },
    prev: {
      cost: num(row.prev_cost),
      tokens: num(row.prev_tokens),
      calls: num(row.prev_calls),
      errors: num(row.prev_errors),
    },
    windowP95: num(row.window_p95),
    cost: { median: num(row.cost_med), mad: num(row.cost_mad), points: nValid },
    tokens: { median: num(row.tokens_med), mad: num(row.tokens_mad), points: nValid },
    calls: { median: num(row.calls_med), mad: num(row.calls_mad), points: nValid },
    latencyP95: { median: num(row.lat_med), mad: num(row.lat_mad), points: num(row.lat_n) },
    errorRate: { median: num(row.err_med), mad: num(row.err_mad), points: num(row.err_n) },
    pooledErrorRate: num(row.err_pooled),
  }
}
