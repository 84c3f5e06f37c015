/** Exit codes of `sightline regress run`, one per verdict. 2 and 3 never count as a pass. */
import type { RunVerdict } from '@sightline/schema'

export const REGRESS_EXIT = { PASS: 0, REGRESSION: 1, HARNESS_ERROR: 2, UNVERIFIABLE: 3 } as const

export function exitCodeFor(verdict: RunVerdict): number {
  switch (verdict) {
    case 'pass':
      return REGRESS_EXIT.PASS
    case 'fail':
      return REGRESS_EXIT.REGRESSION
    case 'error':
      return REGRESS_EXIT.HARNESS_ERROR
    case 'unverifiable':
      return REGRESS_EXIT.UNVERIFIABLE
  }
}

/** Several cases: a regression is the finding that matters most, then a broken harness, then unverifiable. */
export function combinedVerdict(verdicts: readonly RunVerdict[]): RunVerdict {
  if (verdicts.length === 0) return 'error'
  for (const v of ['fail', 'error', 'unverifiable'] as const) if (verdicts.includes(v)) return v
  return 'pass'
}
