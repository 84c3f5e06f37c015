/**
 * One page of the trace list without FINAL over the range. `traces` is a VersionedCollapsingMergeTree:
 * a re-resolved trace has its earlier state's row, a cancel row (sign -1, the same columns and
 * version: resolve/trace-row.ts) and the new state's row until merges collapse them. A state is
 * current when no cancel row names it, which is what FINAL keeps. So one query reads the first `n`
 * sign = +1 rows in list order whose (trace id, version) no cancel row holds. Cancel rows carry the
 * state's own columns, so the list's filters bound the set of cancels to those of the states they
 * select (it is empty once parts are merged); filters that read other tables (text search, scores)
 * are left out of it, or the engine would run their subqueries twice (measured: 2× the rows read
 * for a text search). A state stored twice (unmerged parts) is kept once, so a page short of
 * `limit + 1` with `n` rows read asks for more.
 *
 * Only the `limit + 1` rows of a page are read in full: the engine reads the sort key first and the
 * page's other columns for the rows that made it (lazy materialisation). Those are contiguous for
 * the newest-first default (the table's order is by hour), and for the cost sort, which the `by_cost`
 * projection (migration 0029) answers by reading its parts backwards from the end. `project_id` leads
 * the ORDER BY, constant here, because the engine reads a projection in order only when the ORDER BY
 * is a prefix of its key. For the newest-first default, candidates are looked for in the newest hour,
 * then 6 hours, a day, then the whole range: rows outside a window all rank below it.
 */
import type { Store } from '../client.js'
import { dt64, join, sql, u64, type SqlFragment } from '../sql.js'

export interface PageQuery {
  projectId: string
  from: string
  to: string
  /** Filters of the list, given the lower time bound the rows are read from. */
  conditions: (from: SqlFragment) => SqlFragment[]
  /**
   * The filters that bound the set of cancel rows: any subset of `conditions` gives the same page
   * (a cancel row only ever removes its own state); leave out those that read other tables.
   */
  cancelConditions: (from: SqlFragment) => SqlFragment[]
  sortExpr: SqlFragment
  descending: boolean
  /** Where the newest-first windows start from (the cursor's time, or `to`); undefined: no windows. */
  windowAnchor: SqlFragment | undefined
  columns: SqlFragment
  limit: number
}

const WINDOW_HOURS = [1, 6, 24] as const

/** The columns every page row carries besides the page's own. `version_text`: `version` is the column. */
type StateRow = { trace_id: string; version_text: string; sort_value: string }

export async function readPage<Row extends StateRow>(store: Store, q: PageQuery): Promise<Row[]> {
  const wanted = q.limit + 1
  const rangeHours = (Date.parse(`${q.to.replace(' ', 'T')}Z`) - Date.parse(`${q.from.replace(' ', 'T')}Z`)) / 3600_000
  // A window as wide as the range would only repeat the whole-range read.
  const windows = q.windowAnchor
    ? WINDOW_HOURS.filter((h) => h < rangeHours).map(
        (h) => sql`greatest(${dt64(q.from)}, ${q.windowAnchor!} - toIntervalHour(${u64(h)}))`,
      )
    : []
  const lowerBounds = [...windows, sql`${dt64(q.from)}`]
  for (const [w, from] of lowerBounds.entries()) {
    for (let n = wanted; ; n *= 4) {
      const rows = await store.query<Row>(pageSql(q, from, n))
      const page = distinctStates(rows, wanted)
      if (page.length >= wanted) return page
      if (rows.length < n) {
        // Every current state of this window read: final for the whole range, else widen the window.
        if (w === lowerBounds.length - 1) return page
        break
      }
    }
  }
  throw new Error('unreachable: the whole range always answers')
}

/** The first `n` current-state rows from `from` on, in list order (exported for the plan's tests). */
export function pageSql(q: PageQuery, from: SqlFragment, n: number): SqlFragment {
  const direction = q.descending ? sql`DESC` : sql`ASC`
  return sql`
    SELECT ${q.columns}, toString(version) AS version_text, toString(${q.sortExpr}) AS sort_value FROM traces
    WHERE ${currentStates(join(q.conditions(from), ' AND '), join(q.cancelConditions(from), ' AND '))}
    ORDER BY project_id ${direction}, ${q.sortExpr} ${direction}, trace_id ${direction}
    LIMIT ${u64(n)}`
}

/**
 * The `traces` rows matching `where` that are current states, without FINAL (a merge of every part's
 * rows by key, 3× slower over a week at 10M spans): the sign = +1 rows that no cancel row names.
 * `cancelWhere` bounds the cancel rows' set: any subset of `where`'s conditions gives the same rows.
 */
export function currentStates(where: SqlFragment, cancelWhere: SqlFragment = where): SqlFragment {
  return sql`${where} AND sign = 1
    AND (trace_id, version) NOT IN (SELECT trace_id, version FROM traces WHERE ${cancelWhere} AND sign = -1)`
}

/** The rows in order, a state read twice (the same row in two unmerged parts) kept once, at most `wanted`. */
function distinctStates<Row extends StateRow>(rows: Row[], wanted: number): Row[] {
  const page: Row[] = []
  const seen = new Set<string>()
  for (const row of rows) {
    const key = `${row.trace_id}/${row.version_text}`
    if (seen.has(key)) continue
    seen.add(key)
    page.push(row)
    if (page.length === wanted) break
  }
  return page
}
