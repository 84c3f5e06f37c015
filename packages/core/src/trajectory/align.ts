/**
 * @module trajectory/align
 * A step-by-step alignment of two runs' trajectories (Compare): edit distance over step signatures,
 * so a changed argument shows as one mismatch and an extra step as one insert.
 */
import type { TrajectoryStep } from './trajectory.js'

export type AlignOp = 'match' | 'mismatch' | 'insert' | 'delete'

export interface AlignedPair {
  /**
   * match: same signature; mismatch: same kind and name, different arguments or model; delete: only in a; insert: only
   * in b.
   */
  op: AlignOp
  a: TrajectoryStep | null
  b: TrajectoryStep | null
}

export interface Alignment {
  pairs: AlignedPair[]
  /** Index into `pairs` of the first pair that is not a match; null when the runs agree. */
  firstDivergence: number | null
  /** Matches over the longer trajectory's length (1 for two empty runs). */
  similarity: number
}

/** Above this many DP cells (~40 MB) the middle is aligned position by position instead. */
const MAX_CELLS = 10_000_000

function substitutionCost(a: TrajectoryStep, b: TrajectoryStep): number {
  if (a.signature === b.signature) return 0
  // Same tool called with other arguments is one edit; a different kind of step costs delete + insert.
  if (a.kind === b.kind && (a.kind !== 'llm' ? a.name === b.name : true)) return 1
  return 2
}

/**
 * Edit-distance alignment over step signatures (unit insert/delete, substitution 1 for a near miss,
 * 2 otherwise so unrelated steps show as insert + delete). Common prefix and suffix are trimmed first.
 * @example alignTrajectories(toTrajectory(a), toTrajectory(b)).firstDivergence
 */
export function alignTrajectories(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): Alignment {
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix]!.signature === b[prefix]!.signature) prefix++
  let suffix = 0
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix]!.signature === b[b.length - 1 - suffix]!.signature
  )
    suffix++
  const midA = a.slice(prefix, a.length - suffix)
  const midB = b.slice(prefix, b.length - suffix)
  const pairs: AlignedPair[] = []
  for (let i = 0; i < prefix; i++) pairs.push({ op: 'match', a: a[i]!, b: b[i]! })
  pairs.push(...((midA.length + 1) * (midB.length + 1) > MAX_CELLS ? alignByPosition(midA, midB) : alignDp(midA, midB)))
  for (let i = suffix; i > 0; i--) pairs.push({ op: 'match', a: a[a.length - i]!, b: b[b.length - i]! })
  const firstIndex = pairs.findIndex((p) => p.op !== 'match')
  const matches = pairs.length - pairs.filter((p) => p.op !== 'match').length
  const longest = Math.max(a.length, b.length)
  return { pairs, firstDivergence: firstIndex < 0 ? null : firstIndex, similarity: longest ? matches / longest : 1 }
}

function alignDp(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): AlignedPair[] {
  const n = a.length
  const m = b.length
  const w = m + 1
  const cost = new Uint32Array((n + 1) * w)
  for (let i = 0; i <= n; i++) cost[i * w] = i
  for (let j = 0; j <= m; j++) cost[j] = j
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = cost[(i - 1) * w + j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!)
      const del = cost[(i - 1) * w + j]! + 1
      const ins = cost[i * w + j - 1]! + 1
      cost[i * w + j] = Math.min(sub, del, ins)
    }
  }
  const out: AlignedPair[] = []
  let i = n
  let j = m
  while (i > 0 || j > 0) {
    const here = cost[i * w + j]!
    if (i > 0 && j > 0 && here === cost[(i - 1) * w + j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!)) {
      const same = a[i - 1]!.signature === b[j - 1]!.signature
      if (same || substitutionCost(a[i - 1]!, b[j - 1]!) === 1) {
        out.push({ op: same ? 'match' : 'mismatch', a: a[i - 1]!, b: b[j - 1]! })
      } else {
        out.push({ op: 'insert', a: null, b: b[j - 1]! }, { op: 'delete', a: a[i - 1]!, b: null })
      }
      i--
      j--
    } else if (i > 0 && here === cost[(i - 1) * w + j]! + 1) {
      out.push({ op: 'delete', a: a[--i]!, b: null })
    } else {
      out.push({ op: 'insert', a: null, b: b[--j]! })
    }
  }
  return out.reverse()
}

function alignByPosition(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): AlignedPair[] {
  const out: AlignedPair[] = []
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null
    const y = b[i] ?? null
    if (x && y) out.push({ op: x.signature === y.signature ? 'match' : 'mismatch', a: x, b: y })
    else out.push(x ? { op: 'delete', a: x, b: null } : { op: 'insert', a: null, b: y })
  }
  return out
}
