import { describe, expect, it } from 'vitest'
import { CaseMatchSchema, CaseStepSchema, type CaseStep } from '@sightline/schema'
import { singleToolUse, trajectoryScores } from './trajectory-metrics.js'

const step = (name: string, args?: Record<string, unknown>, extra: Partial<CaseStep> = {}): CaseStep =>
  CaseStepSchema.parse({ kind: 'tool_call', name, ...(args ? { args } : {}), ...extra })
const match = CaseMatchSchema.parse({})

describe('trajectory metrics (ADK / Vertex style)', () => {
  const reference = [step('search', { q: 'refund' }), step('db_lookup', { id: 'ord-1' }), step('calculator')]

  it('scores a run that is exactly the reference as 1 on every metric', () => {
    const run = [
      step('search', { q: 'refund', lang: 'en' }),
      step('db_lookup', { id: 'ord-1' }),
      step('calculator', { e: '1+1' }),
    ]
    expect(trajectoryScores(reference, run, match)).toEqual({
      exact: 1,
      inOrder: 1,
      anyOrder: 1,
      precision: 1,
      recall: 1,
    })
  })

  it('tells in-order from any-order and exact, and counts precision and recall', () => {
    const swapped = [step('db_lookup', { id: 'ord-1' }), step('search', { q: 'refund' }), step('calculator')]
    expect(trajectoryScores(reference, swapped, match)).toEqual({
      exact: 0,
      inOrder: 0,
      anyOrder: 1,
      precision: 1,
      recall: 1,
    })
    const extra = [
      step('search', { q: 'refund' }),
      step('weather'),
      step('db_lookup', { id: 'ord-1' }),
      step('calculator'),
    ]
    expect(trajectoryScores(reference, extra, match)).toEqual({
      exact: 0,
      inOrder: 1,
      anyOrder: 1,
      precision: 0.75,
      recall: 1,
    })
    const missing = [step('search', { q: 'refund' }), step('db_lookup', { id: 'ord-2' })]
    expect(trajectoryScores(reference, missing, match)).toMatchObject({
      exact: 0,
      inOrder: 0,
      anyOrder: 0,
      precision: 0.5,
    })
    expect(trajectoryScores(reference, missing, match).recall).toBeCloseTo(1 / 3)
  })

  it('uses each step once: a loop of identical calls matches the reference only as often as it expects them', () => {
    const ref = [step('weather', { city: 'Atlantis' }), step('weather', { city: 'Atlantis' }, { optional: true })]
    const loop = Array.from({ length: 8 }, () => step('weather', { city: 'Atlantis' }))
    expect(trajectoryScores(ref, loop, match)).toEqual({
      exact: 0,
      inOrder: 1,
      anyOrder: 1,
      precision: 0.25,
      recall: 1,
    })
    expect(trajectoryScores(ref, loop.slice(0, 2), match)).toEqual({
      exact: 1,
      inOrder: 1,
      anyOrder: 1,
      precision: 1,
      recall: 1,
    })
    expect(trajectoryScores(ref, loop.slice(0, 1), match).exact).toBe(1)
  })

  it('ignores step kinds outside the match and other agents when scoped', () => {
    const llm = CaseStepSchema.parse({ kind: 'llm_call', name: 'gpt-4o' })
    const run = [
      llm,
      step('search', { q: 'refund' }, { agent: 'researcher' }),
      step('db_lookup', { id: 'ord-1' }, { agent: 'executor' }),
      step('calculator', {}, { agent: 'executor' }),
    ]
    expect(trajectoryScores(reference, run, match).exact).toBe(1)
    const executorOnly = trajectoryScores([step('db_lookup', { id: 'ord-1' }), step('calculator')], run, {
      kinds: ['tool_call'],
      agent: 'executor',
    })
    expect(executorOnly).toEqual({ exact: 1, inOrder: 1, anyOrder: 1, precision: 1, recall: 1 })
  })

  it('treats an empty run honestly', () => {
    expect(trajectoryScores(reference, [], match)).toEqual({
      exact: 0,
      inOrder: 0,
      anyOrder: 0,
      precision: 0,
      recall: 0,
    })
    expect(trajectoryScores([], [], match)).toEqual({ exact: 1, inOrder: 1, anyOrder: 1, precision: 1, recall: 1 })
  })

  it('any-order finds a matching the greedy choice would miss', () => {
    // The first reference step accepts both runs' steps (subset {}), the second only the first one.
    const ref = [step('search', {}), step('search', { q: 'a' })]
    const run = [step('search', { q: 'a' }), step('search', { q: 'b' })]
    expect(trajectoryScores(ref, run, { ...match, order: 'any' }).anyOrder).toBe(1)
  })

  it('single-tool use', () => {
    expect(singleToolUse([step('search'), step('weather', {}, { agent: 'planner' })], 'weather')).toBe(1)
    expect(singleToolUse([step('search')], 'weather')).toBe(0)
    expect(singleToolUse([step('weather', {}, { agent: 'planner' })], 'weather', 'executor')).toBe(0)
  })
})
