/**
 * @module regression/match
 * Expected vs actual trajectory under three explicit settings: order (strict | any), extras (allow |
 * forbid) and missing (allow | forbid), with per-step argument matching (exact | subset | ignore)
 * after dropping ignored JSON Pointers.
 */
import type { ArgsMatch, CaseMatch, CaseStep } from '@sightline/schema'

/** `/a/b~1c/0` → ['a', 'b/c', '0'] (RFC 6901). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`not a JSON Pointer: ${pointer}`)
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** A deep copy of `value` without the fields the pointers name (absent fields are fine). */
export function withoutPaths(value: unknown, pointers: readonly string[]): unknown {
  if (pointers.length === 0) return value
  const copy: unknown = structuredClone(value)
  for (const pointer of pointers) {
    const segments = parsePointer(pointer)
    let node: unknown = copy
    for (let i = 0; i < segments.length - 1 && node && typeof node === 'object'; i++) {
      node = (node as Record<string, unknown>)[segments[i]!]
    }
    const last = segments[segments.length - 1]
    if (last === undefined || !node || typeof node !== 'object') continue
    if (Array.isArray(node)) node.splice(Number(last), 1)
    else delete (node as Record<string, unknown>)[last]
  }
  return copy
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}

/** Every field of `expected` is in `actual` with an equal value (objects recursively; arrays whole). */
export function isSubset(expected: unknown, actual: unknown): boolean {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false
    return Object.entries(expected).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]))
  }
  return deepEqual(expected, actual)
}

export function argsMatch(
  mode: ArgsMatch,
  expected: unknown,
  actual: unknown,
  ignorePaths: readonly string[] = [],
): boolean {
  if (mode === 'ignore') return true
  const e = withoutPaths(expected ?? {}, ignorePaths)
  const a = withoutPaths(actual ?? {}, ignorePaths)
  return mode === 'exact' ? deepEqual(e, a) : isSubset(e, a)
}

export function stepMatches(expected: CaseStep, actual: CaseStep): boolean {
  if (expected.kind !== actual.kind || expected.name !== actual.name) return false
  if (expected.agent && expected.agent !== actual.agent) return false
  return expected.args === undefined || argsMatch(expected.argsMatch, expected.args, actual.args, expected.ignorePaths)
}

export const describeStep = (s: CaseStep) =>
  `${s.agent ? `${s.agent}: ` : ''}${s.kind} ${s.name}` +
  `${s.args && Object.keys(s.args).length ? JSON.stringify(s.args) : ''}`

export interface TrajectoryMatchResult {
  passed: boolean
  /** Index into `actual` of each expected step, or null when it never happened. */
  assignment: (number | null)[]
  missing: CaseStep[]
  extras: CaseStep[]
  detail: string
}

/**
 * Matches `actual` against `expected`. Only steps of `match.kinds` (and of `scope`'s agent, when
 * given) take part. strict order takes, for each expected step in turn, the first matching actual
 * step after the previous one; any order takes the first unused match anywhere.
 * @example matchTrajectory(rc.expected.trajectory, run.steps, rc.expected.match).passed
 */
export function matchTrajectory(
  expected: readonly CaseStep[],
  actual: readonly CaseStep[],
  match: CaseMatch,
  scope = '',
): TrajectoryMatchResult {
  const exp = expected.filter((s) => match.kinds.includes(s.kind) && (!scope || !s.agent || s.agent === scope))
  const act = actual.filter((s) => match.kinds.includes(s.kind) && (!scope || s.agent === scope))
  const used = new Set<number>()
  const assignment: (number | null)[] = []
  let cursor = 0
  for (const step of exp) {
    let found: number | null = null
    for (let i = match.order === 'strict' ? cursor : 0; i < act.length; i++) {
      if (!used.has(i) && stepMatches(step, act[i]!)) {
        found = i
        break
      }
    }
    if (found !== null) {
      used.add(found)
      if (match.order === 'strict') cursor = found + 1
    }
    assignment.push(found)
  }
  const missing = exp.filter((s, i) => assignment[i] === null && !s.optional)
  const extras = act.filter((_, i) => !used.has(i))
  const problems: string[] = []
  if (missing.length && match.missing === 'forbid')
    problems.push(`missing ${missing.length} expected step(s): ${missing.map(describeStep).join('; ')}`)
  if (extras.length && match.extras === 'forbid')
    problems.push(`${extras.length} unexpected step(s): ${extras.map(describeStep).join('; ')}`)
  const passed = problems.length === 0
  const detail = passed
    ? `${exp.length - missing.length}/${exp.length} expected steps matched (${match.order} order)` +
      (extras.length ? `, ${extras.length} extra step(s) allowed` : '')
    : problems.join('; ')
  return { passed, assignment, missing, extras, detail }
}
