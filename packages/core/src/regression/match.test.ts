import { describe, expect, it } from 'vitest'
import { CaseMatchSchema, CaseStepSchema, type CaseStep } from '@sightline/schema'
import { argsMatch, matchTrajectory, withoutPaths } from './match.js'

const step = (name: string, args?: Record<string, unknown>, extra: Partial<CaseStep> = {}): CaseStep =>
  CaseStepSchema.parse({ kind: 'tool_call', name, ...(args ? { args } : {}), ...extra })
const match = (m: Record<string, unknown>) => CaseMatchSchema.parse(m)

describe('matchTrajectory', () => {
  const actual = [step('a', { x: 1 }), step('b', { y: 2, t: 9 }), step('c')]

  it('strict order: expected steps in order, extras allowed', () => {
    expect(matchTrajectory([step('a'), step('c')], actual, match({ order: 'strict' })).passed).toBe(true)
    expect(matchTrajectory([step('c'), step('a')], actual, match({ order: 'strict' })).passed).toBe(false)
  })
  it('any order', () => {
    expect(matchTrajectory([step('c'), step('a')], actual, match({ order: 'any' })).passed).toBe(true)
  })
  it('forbidden extras and missing steps', () => {
    const r = matchTrajectory([step('a'), step('c')], actual, match({ extras: 'forbid' }))
    expect(r.passed).toBe(false)
    expect(r.detail).toMatch(/1 unexpected step\(s\): tool_call b/)
    expect(matchTrajectory([step('a'), step('z')], actual, match({})).detail).toMatch(/missing 1 expected step/)
    expect(matchTrajectory([step('a'), step('z')], actual, match({ missing: 'allow' })).passed).toBe(true)
    expect(matchTrajectory([step('a'), step('z', undefined, { optional: true })], actual, match({})).passed).toBe(true)
  })
  it('argument matching per step: exact, subset, ignore, ignored paths', () => {
    expect(matchTrajectory([step('b', { y: 2 }, { argsMatch: 'subset' })], actual, match({})).passed).toBe(true)
    expect(matchTrajectory([step('b', { y: 2 }, { argsMatch: 'exact' })], actual, match({})).passed).toBe(false)
    expect(
      matchTrajectory([step('b', { y: 2, t: 1 }, { argsMatch: 'exact', ignorePaths: ['/t'] })], actual, match({}))
        .passed,
    ).toBe(true)
    expect(matchTrajectory([step('b', { y: 3 }, { argsMatch: 'ignore' })], actual, match({})).passed).toBe(true)
    expect(matchTrajectory([step('b', { y: 3 })], actual, match({})).passed).toBe(false)
  })
  it('scopes to one agent and skips step kinds not taking part', () => {
    const multi = [
      step('a', undefined, { agent: 'p' }),
      step('a', undefined, { agent: 'q' }),
      CaseStepSchema.parse({ kind: 'llm_call', name: 'gpt' }),
    ]
    expect(matchTrajectory([step('a')], multi, match({ extras: 'forbid' }), 'q').passed).toBe(true)
    expect(matchTrajectory([step('a')], multi, match({ extras: 'forbid' })).passed).toBe(false)
  })
})

describe('argsMatch and JSON Pointers', () => {
  it('subset is recursive; arrays compare whole', () => {
    expect(argsMatch('subset', { a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toBe(true)
    expect(argsMatch('subset', { a: [1] }, { a: [1, 2] })).toBe(false)
  })
  it('drops nested and escaped paths', () => {
    expect(withoutPaths({ a: { 'b/c': 1, d: 2 }, e: [1, 2] }, ['/a/b~1c', '/e/0'])).toEqual({ a: { d: 2 }, e: [2] })
  })
})
