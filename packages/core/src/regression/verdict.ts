/**
 * @module regression/verdict
 * Run verdicts and the case verdict under the run policy. Fail closed: a harness error or an
 * unverifiable run never counts as a pass.
 */
import type { PassRule, RunVerdict } from '@sightline/schema'

export function requiredPasses(rule: PassRule, runs: number): number {
  if (rule === 'all') return runs
  if (rule === 'any') return 1
  if (rule === 'majority') return Math.floor(runs / 2) + 1
  return Math.min(rule.atLeast, runs)
}

/**
 * The case verdict: pass when enough runs passed; otherwise a definite regression (a scored run
 * failed) wins over a harness error, which wins over unverifiable.
 * @example caseVerdict(['pass', 'fail', 'pass'], 'majority') // 'pass'
 */
export function caseVerdict(runs: readonly RunVerdict[], rule: PassRule): RunVerdict {
  if (runs.length === 0) return 'error'
  if (runs.filter((v) => v === 'pass').length >= requiredPasses(rule, runs.length)) return 'pass'
  if (runs.includes('fail')) return 'fail'
  if (runs.includes('error')) return 'error'
  return 'unverifiable'
}
