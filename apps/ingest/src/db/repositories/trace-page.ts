/**
 * One page of the trace list without FINAL over the range. `traces` is a VersionedCollapsingMergeTree:
 * a re-resolved trace has its earlier state's row, a cancel row (sign -1, same columns and version)
 * and the new state's row until merges collapse them. A state is current when its rows' signs sum
 * above zero, which is exactly what FINAL keeps. So:
 *   1. candidates: the first `n` sign = +1 rows in list order, reading only the sort key, trace id
 *      and version (plus whatever the filters touch);
 *   2. states: every row of those traces in the range, with the page's columns; a candidate whose
 *      state is cancelled is dropped, a state seen twice kept once.
 * The first `limit + 1` current candidates are the page: any current state ranking above the n-th
 * candidate is itself a candidate. Too few current ones with `n` rows read means more candidates
 * are needed (n × 4). For the default sort (newest first) candidates are looked for in the newest
 * hour, then 6 hours, a day, then the whole range: rows outside a window all rank below it.
 */
import type { Store } from '../client.js'
import { dt64, join, sql, str, strArray, u64, type SqlFragment } from '../sql.js'

export interface PageQuery {
  projectId: string
  from: string
  to: string
  /** Filters of the list, given the lower time bound the rows are read from. */
  conditions: (from: SqlFragment) => SqlFragment[]
  sortExpr: SqlFragment
  descending: boolean
  /** Where the newest-first windows start from (the cursor's time, or `to`); undefined: no windows. */
  windowAnchor: SqlFragment | undefined
  columns: SqlFragment
  limit: number
}

const WINDOW_HOURS = [1, 6, 24] as const

interface Candidate {
  trace_id: string
  version: string
}
type StateRow = { trace_id: string; version: string; sign: number | string; sort_value: string }

export async function readPage<Row extends StateRow>(store: Store, q: PageQuery): Promise<Row[]> {
  const wanted = q.limit + 1
  const direction = q.descending ? sql`DESC` : sql`ASC`
  const rangeHours = (Date.parse(`${q.to.replace(' ', 'T')}Z`) - Date.parse(`${q.from.replace(' ', 'T')}Z`)) / 3600_000
  // A window as wide as the range would only repeat the whole-range read.
  const windows = q.windowAnchor
    ? WINDOW_HOURS.filter((h) => h < rangeHours).map(
        (h) => sql`greatest(${dt64(q.from)}, ${q.windowAnchor!} - toIntervalHour(${u64(h)}))`,
      )
    : []
  const lowerBounds = [...windows, sql`${dt64(q.from)}`]
  for (const [w, from] of lowerBounds.entries()) {
    for (let n = wanted * 2; ; n *= 4) {
      const candidates = await store.query<Candidate>(sql`
        SELECT trace_id, toString(version) AS version FROM traces
        WHERE ${join([...q.conditions(from), sql`sign = 1`], ' AND ')}
        ORDER BY ${q.sortExpr} ${direction}, trace_id ${direction}
        LIMIT ${u64(n)}`)
      const page = await currentStates<Row>(store, q, from, candidates, wanted)
      if (page.length >= wanted) return page
      if (candidates.length < n) {
        // Every candidate of this window read: final for the whole range, else widen the window.
        if (w === lowerBounds.length - 1) return page
        break
      }
    }
  }
  throw new Error('unreachable: the whole range always answers')
}

/** The current states among `candidates`, in candidate order, at most `wanted`, with the page's columns. */
async function currentStates<Row extends StateRow>(
  store: Store,
  q: PageQuery,
  from: SqlFragment,
  candidates: Candidate[],
  wanted: number,
): Promise<Row[]> {
  if (candidates.length === 0) return []
  const ids = [...new Set(candidates.map((c) => c.trace_id))]
  const rows = await store.query<Row>(sql`
    SELECT ${q.columns}, toString(version) AS version, sign, toString(${q.sortExpr}) AS sort_value FROM traces
    WHERE project_id = ${str(q.projectId)} AND start_time >= ${from} AND start_time <= ${dt64(q.to)}
      AND trace_id IN ${strArray(ids)}`)
  const signs = new Map<string, number>()
  const positive = new Map<string, Row>()
  for (const row of rows) {
    const key = `${row.trace_id}/${row.version}`
    signs.set(key, (signs.get(key) ?? 0) + Number(row.sign))
    if (Number(row.sign) > 0) positive.set(key, row)
  }
  const page: Row[] = []
  const seen = new Set<string>()
  for (const c of candidates) {
    const key = `${c.trace_id}/${c.version}`
    const row = positive.get(key)
    if (seen.has(key) || !row || (signs.get(key) ?? 0) <= 0) continue
    seen.add(key)
    page.push(row)
    if (page.length === wanted) break
  }
  return page
}
