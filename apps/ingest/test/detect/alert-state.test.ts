import { describe, expect, it } from 'vitest'
import { AlertStateMachine, type Transition, type Verdict } from '../../src/detect/alert-state.js'

const breach: Verdict<number> = { breach: true, clear: false, payload: 9 }
const between: Verdict<number> = { breach: false, clear: false, payload: 3 }
const clear: Verdict<number> = { breach: false, clear: true, payload: 1 }

function machine() {
  return new AlertStateMachine<number>({ confirmations: 2, recoveryEvaluations: 3 }, (key, t) => `${key}@${t}`)
}
const run = (m: AlertStateMachine<number>, verdicts: Verdict<number>[], startMs = 0) =>
  verdicts.map((v, i) => m.feed('k', startMs + i * 60_000, v)?.type ?? '-')

describe('AlertStateMachine', () => {
  it('needs two consecutive breaches to open (confirmation)', () => {
    expect(run(machine(), [breach, clear, breach, clear, breach, breach])).toEqual(['-', '-', '-', '-', '-', 'opened'])
  })

  it('dates the episode from the first breach of the confirming run', () => {
    const m = machine()
    m.feed('k', 1000, breach)
    const opened = m.feed('k', 2000, breach) as Extract<Transition<number>, { type: 'opened' }>
    expect(opened).toMatchObject({ type: 'opened', startedAtMs: 1000, episodeId: 'k@1000', payload: 9 })
  })

  it('resolves only after M evaluations below the lower threshold (hysteresis)', () => {
    // Between the thresholds keeps it open and resets the recovery count.
    expect(run(machine(), [breach, breach, clear, clear, between, clear, clear, clear])).toEqual([
      '-',
      'opened',
      'updated',
      'updated',
      'updated',
      'updated',
      'updated',
      'resolved',
    ])
  })

  it('de-duplicates: one opened and one resolved per episode, a new episode after recovery', () => {
    const m = machine()
    const types = run(m, [breach, breach, breach, breach, clear, clear, clear, breach, breach])
    expect(types.filter((t) => t === 'opened')).toHaveLength(2)
    expect(types.filter((t) => t === 'resolved')).toHaveLength(1)
    expect(m.isOpen('k')).toBe(true)
  })

  it('resumes a restored episode without opening it again', () => {
    const m = machine()
    m.restoreOpen('k', 'old')
    const transitions = [breach, clear, clear, clear].map((v, i) => m.feed('k', i, v))
    expect(transitions.map((t) => t?.type)).toEqual(['updated', 'updated', 'updated', 'resolved'])
    expect(transitions[3]?.episodeId).toBe('old')
  })

  it('keeps keys independent', () => {
    const m = machine()
    m.feed('a', 0, breach)
    m.feed('b', 0, breach)
    expect(m.feed('a', 1, breach)?.type).toBe('opened')
    expect(m.feed('b', 1, clear)).toBeUndefined()
    expect(m.openKeys()).toEqual(['a'])
  })
})
