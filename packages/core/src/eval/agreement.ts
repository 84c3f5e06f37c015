/**
 * @module eval/agreement
 * Agreement between reviewers on one score name, over items that two or more of them reviewed:
 * percent agreement over reviewer pairs; Cohen's kappa per reviewer pair (chance agreement from
 * each reviewer's own label frequencies), averaged over pairs with at least two shared items, for
 * boolean and categorical scores; mean absolute difference for numeric ones.
 */
import type { Agreement, ScoreDataType } from '@sightline/schema'

export interface Rating {
  item: string
  author: string
  value: number | boolean | string
}

const key = (v: Rating['value']) => (typeof v === 'number' ? `n:${v}` : typeof v === 'boolean' ? `b:${v}` : `s:${v}`)

/** Cohen's kappa of two reviewers over their shared items; null when chance agreement is 1. */
export function cohensKappa(pairs: ReadonlyArray<[string, string]>): number | null {
  if (pairs.length === 0) return null
  const observed = pairs.filter(([a, b]) => a === b).length / pairs.length
  const countA = new Map<string, number>()
  const countB = new Map<string, number>()
  for (const [a, b] of pairs) {
    countA.set(a, (countA.get(a) ?? 0) + 1)
    countB.set(b, (countB.get(b) ?? 0) + 1)
  }
  let expected = 0
  for (const [label, na] of countA) expected += (na / pairs.length) * ((countB.get(label) ?? 0) / pairs.length)
  if (expected >= 1) return null
  return (observed - expected) / (1 - expected)
}

/**
 * @example agreementOf('helpful', 'boolean', ratings).percentAgreement // 0.8
 */
export function agreementOf(scoreName: string, dataType: ScoreDataType, ratings: readonly Rating[]): Agreement {
  const byItem = new Map<string, Map<string, Rating['value']>>()
  for (const r of ratings) {
    const item = byItem.get(r.item) ?? new Map<string, Rating['value']>()
    item.set(r.author, r.value)
    byItem.set(r.item, item)
  }
  const shared = [...byItem.values()].filter((m) => m.size >= 2)
  let pairs = 0
  let agreeing = 0
  let absDiff = 0
  const perPair = new Map<string, Array<[string, string]>>()
  for (const item of shared) {
    const authors = [...item.keys()].sort()
    for (let i = 0; i < authors.length; i++) {
      for (let j = i + 1; j < authors.length; j++) {
        const a = item.get(authors[i]!)!
        const b = item.get(authors[j]!)!
        pairs++
        if (key(a) === key(b)) agreeing++
        if (typeof a === 'number' && typeof b === 'number') absDiff += Math.abs(a - b)
        const pairKey = `${authors[i]}\u0000${authors[j]}`
        perPair.set(pairKey, [...(perPair.get(pairKey) ?? []), [key(a), key(b)]])
      }
    }
  }
  const kappas =
    dataType === 'numeric'
      ? []
      : [...perPair.values()]
          .filter((p) => p.length >= 2)
          .map(cohensKappa)
          .filter((k): k is number => k !== null)
  return {
    scoreName,
    items: shared.length,
    pairs,
    percentAgreement: pairs ? agreeing / pairs : null,
    kappa: kappas.length ? kappas.reduce((s, k) => s + k, 0) / kappas.length : null,
    meanAbsDiff: dataType === 'numeric' && pairs ? absDiff / pairs : null,
    method:
      dataType === 'numeric'
        ? 'Share of reviewer pairs giving the same value, and their mean absolute difference, ' +
          'over items reviewed by two or more reviewers.'
        : "Share of reviewer pairs giving the same value, and Cohen's kappa per reviewer pair (2+ shared items) " +
          'averaged over pairs, over items reviewed by two or more reviewers.',
  }
}
