/**
 * Traces of one resolver batch read in groups of nearby start times, so that one late span of an
 * old trace does not widen the time range every other trace of the batch is read over; and a group
 * in parts of bounded size, so that a batch holding a huge trace does not hold every span at once.
 */
import type { TraceBounds } from '../db/repositories/resolution.js'
import { chTimeToMs } from '../db/sql.js'

/** Spans of one read stay within this much start time (unless one trace alone is longer). */
const GROUP_SPAN_MS = 6 * 3_600_000

/**
 * Traces no longer than GROUP_SPAN_MS are grouped while the whole group stays within it. A longer
 * ("wide") trace cannot share such a group, and giving each its own read and insert made a backlog
 * of them resolve a few traces a second; so wide traces are grouped with each other instead, while
 * the next one starts within GROUP_SPAN_MS of the group's end. A wide group's range is then at most
 * its traces' own ranges plus gaps each shorter than any of them: under twice what separate reads
 * would cover, in one read and one insert.
 */
export function groupByTime(bounds: readonly TraceBounds[]): TraceBounds[][] {
  const timed = bounds
    .map((b) => ({ b, start: chTimeToMs(b.startMin), end: chTimeToMs(b.startMax) }))
    .sort((x, y) => x.start - y.start)
  const narrow = timed.filter((t) => t.end - t.start <= GROUP_SPAN_MS)
  const wide = timed.filter((t) => t.end - t.start > GROUP_SPAN_MS)
  return [
    ...runs(narrow, (t, first) => t.end - first.start > GROUP_SPAN_MS),
    ...runs(wide, (t, _first, end) => t.start - end > GROUP_SPAN_MS),
  ]
}

interface Timed {
  b: TraceBounds
  start: number
  end: number
}

/** Consecutive runs of `sorted`, a new one where `breaks` says the next trace does not belong to the current run. */
function runs(sorted: readonly Timed[], breaks: (t: Timed, first: Timed, end: number) => boolean): TraceBounds[][] {
  const groups: TraceBounds[][] = []
  let current: TraceBounds[] = []
  let first: Timed | undefined
  let end = Number.NEGATIVE_INFINITY
  for (const t of sorted) {
    if (first && breaks(t, first, end)) {
      groups.push(current)
      current = []
      first = undefined
      end = Number.NEGATIVE_INFINITY
    }
    first ??= t
    end = Math.max(end, t.end)
    current.push(t.b)
  }
  if (current.length > 0) groups.push(current)
  return groups
}

/** Consecutive runs of ids whose span counts add up to at most `budget` (an id over it alone). */
export function byRows(ids: readonly string[], counts: ReadonlyMap<string, number>, budget: number): string[][] {
  const parts: string[][] = []
  let part: string[] = []
  let rows = 0
  for (const id of ids) {
    const n = counts.get(id) ?? 0
    if (part.length > 0 && rows + n > budget) {
      parts.push(part)
      part = []
      rows = 0
    }
    part.push(id)
    rows += n
  }
  if (part.length > 0) parts.push(part)
  return parts
}
