/**
 * @module eval/sampling
 * Which traces an evaluator samples: a hash of (evaluator, trace) against the rate, so the decision
 * is the same on every server, every restart and every re-run, and needs no record for the traces
 * it skips.
 */

/** FNV-1a (32 bit) of a string: fast, stable, well spread for ids. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** True for about `rate` of all trace ids, always the same ones for one evaluator. */
export function isSampled(evaluatorId: string, traceId: string, rate: number): boolean {
  if (rate >= 1) return true
  if (rate <= 0) return false
  return fnv1a(`${evaluatorId}\u0000${traceId}`) / 0x1_0000_0000 < rate
}
