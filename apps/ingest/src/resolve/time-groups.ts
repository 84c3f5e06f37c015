/**
 * Traces of one resolver batch read in groups of nearby start times, so that one late span of an
 * old trace does not widen the time range every other trace of the batch is read over; and a group
 * in parts of bounded size, so that a batch holding a huge trace does not hold every span at once.
 */
import type { TraceBounds } from '../db/repositories/resolution.js'

/** Spans of one read stay within this much start time. */
const GROUP_SPAN_MS = 6 * 3_600_000

export function groupByTime(bounds: readonly TraceBounds[]): TraceBounds[][] {
  const sorted = [...bounds].sort((a, b) => (a.startMin < b.startMin ? -1 : a.startMin > b.startMin ? 1 : 0))
  const groups: TraceBounds[][] = []
  let current: TraceBounds[] = []
  let groupStart = Number.NaN
  for (const b of sorted) {
    const end = Date.parse(`${b.startMax.replace(' ', 'T').slice(0, 23)}Z`)
    const start = Date.parse(`${b.startMin.replace(' ', 'T').slice(0, 23)}Z`)
    if (current.length > 0 && end - groupStart > GROUP_SPAN_MS) {
      groups.push(current)
      current = []
    }
    if (current.length === 0) groupStart = start
    current.push(b)
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
