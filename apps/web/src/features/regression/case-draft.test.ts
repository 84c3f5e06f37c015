import { observeRun, proposeCase } from '@sightline/core'
import { describe, expect, it } from 'vitest'
import {
  checkAgainstSource,
  draftReducer,
  maskedAtCapture,
  moveItem,
  observedStatus,
  parseIgnorePaths,
  redactionRows,
  uniqueId,
  validateDraft,
  type Draft,
} from './case-draft'

/** A trace where weather(Atlantis) is called 5 times and the run fails: the proposal's loop. */
function loopSpans() {
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()
  const base = {
    traceId: 'ab'.repeat(16),
    parentSpanId: '',
    status: 'ok',
    statusMessage: '',
    errorType: '',
    serviceName: 'planner-agent',
    serviceVersion: '2.3.0',
    environment: 'test',
    agentName: '',
    model: '',
    isLlmCall: false,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    toolName: '',
    toolArguments: '',
    toolResult: '',
    input: '',
    output: '',
    attributes: {},
    flags: [],
    durationMs: 5,
  }
  const root = {
    ...base,
    spanId: '1'.padStart(16, '0'),
    name: 'invoke_agent planner-agent',
    kind: 'agent',
    agentName: 'planner-agent',
    startTime: at(0),
    endTime: at(100),
    status: 'error',
    statusMessage: 'exceeded max steps',
    input: 'check the weather in Atlantis',
  }
  const calls = Array.from({ length: 5 }, (_, i) => ({
    ...base,
    spanId: String(i + 2).padStart(16, '0'),
    parentSpanId: root.spanId,
    name: 'tools/call weather',
    kind: 'tool',
    toolName: 'weather',
    toolArguments: '{"city":"Atlantis"}',
    toolResult: '{"content":[{"type":"text","text":"not found"}]}',
    startTime: at(10 + i * 10),
    endTime: at(15 + i * 10),
  }))
  return [root, ...calls]
}

const spans = loopSpans()
const run = observeRun(spans)
const proposed = (): Draft => proposeCase(spans, { now: '2026-01-02T00:00:00.000Z' }).case

describe('case draft', () => {
  it('moves, deletes and adds expected steps', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b'])
    expect(moveItem(['a', 'b', 'c'], 0, 9)).toEqual(['b', 'c', 'a'])
    let d = proposed()
    expect(d.expected.trajectory).toHaveLength(2)
    d = draftReducer(d, { type: 'updateStep', index: 1, patch: { optional: true } })
    d = draftReducer(d, { type: 'moveStep', from: 1, to: 0 })
    expect(d.expected.trajectory.map((s) => s.optional)).toEqual([true, false])
    d = draftReducer(d, { type: 'addStep', step: d.observed.trajectory[0]! })
    expect(d.expected.trajectory[2]).not.toHaveProperty('spanId')
    d = draftReducer(d, { type: 'deleteStep', index: 2 })
    expect(d.expected.trajectory).toHaveLength(2)
  })

  it('re-checks assertions against the source: a generous blocking budget could never fail', () => {
    let d = proposed()
    expect(checkAgainstSource(d, run).filter((c) => c.isUseless)).toEqual([])
    d = draftReducer(d, { type: 'addAssertion', assertionType: 'budget' })
    const added = d.assertions.at(-1)!
    expect(added).toMatchObject({ id: 'budget', type: 'budget', blocking: true })
    expect(checkAgainstSource(d, run).at(-1)).toMatchObject({ isUseless: true, wouldFail: false })
    d = draftReducer(d, {
      type: 'updateAssertion',
      index: d.assertions.length - 1,
      assertion: { ...added, blocking: false },
    })
    expect(checkAgainstSource(d, run).at(-1)!.isUseless).toBe(false)
    // Allowing extra steps makes the trajectory assertion pass on the loop.
    d = draftReducer(d, { type: 'setMatch', patch: { extras: 'allow' } })
    expect(checkAgainstSource(d, run).find((c) => c.id === 'trajectory')!.isUseless).toBe(true)
  })

  it('marks observed steps as matched or extra', () => {
    expect(observedStatus(proposed())).toEqual(['matched', 'matched', 'extra', 'extra', 'extra'])
  })

  it('validates ids and JSON Pointers', () => {
    expect(uniqueId('budget', ['budget', 'budget-2'])).toBe('budget-3')
    expect(parseIgnorePaths('/a, /b/c')).toEqual(['/a', '/b/c'])
    expect(() => parseIgnorePaths('a')).toThrow(/JSON Pointer/)
    const bad = validateDraft({ ...proposed(), id: 'Bad Id' })
    expect(bad.ok).toBe(false)
    expect(validateDraft(proposed()).ok).toBe(true)
  })

  it('pairs masked fields with their stored values', () => {
    const after = { input: { text: 'mail [REDACTED:email]' } }
    const before = { input: { text: 'mail bob@example.com' } }
    expect(redactionRows(['/input/text'], after, before)).toEqual([
      { pointer: '/input/text', before: 'mail bob@example.com', after: 'mail [REDACTED:email]' },
    ])
    expect(maskedAtCapture({ a: ['x', 'key [REDACTED:api_key]'] })).toEqual(['/a/1'])
  })
})
