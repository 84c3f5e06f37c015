import { describe, expect, it } from 'vitest'
import { evaluateOutcome, type OutcomeFacts } from './outcome.js'

const facts = (o: Partial<OutcomeFacts> = {}): OutcomeFacts => ({
  output: 'Your refund of $12.50 is on its way.',
  outcome: 'ok',
  tags: [],
  costUsd: 0.004,
  durationMs: 1800,
  steps: 6,
  ...o,
})

describe('outcome evaluators', () => {
  it('checks the final response', () => {
    expect(evaluateOutcome({ check: 'contains', value: 'REFUND' }, facts()).value).toBe(1)
    expect(evaluateOutcome({ check: 'contains', value: 'REFUND', caseSensitive: true }, facts()).value).toBe(0)
    expect(evaluateOutcome({ check: 'exact', value: ' your refund of $12.50 is on its way. ' }, facts()).value).toBe(1)
    expect(evaluateOutcome({ check: 'regex', value: '\\$\\d+\\.\\d{2}' }, facts()).value).toBe(1)
    expect(evaluateOutcome({ check: 'regex', value: '^no' }, facts())).toMatchObject({
      value: 0,
      detail: expect.stringContaining('does not match'),
    })
  })

  it('checks JSON output against a schema with the given validator, and fails on non-JSON', () => {
    const check = (schema: Record<string, unknown>, value: unknown) =>
      (value as { amount?: unknown }).amount === undefined ? ['amount is required'] : []
    expect(
      evaluateOutcome({ check: 'json_schema', jsonSchema: {} }, facts({ output: '{"amount": 12.5}' }), check).value,
    ).toBe(1)
    expect(
      evaluateOutcome({ check: 'json_schema', jsonSchema: {} }, facts({ output: '{"total": 12.5}' }), check),
    ).toEqual({ value: 0, detail: 'final response breaks the JSON Schema: amount is required' })
    expect(evaluateOutcome({ check: 'json_schema', jsonSchema: {} }, facts(), check).detail).toMatch(/not JSON/)
  })

  it('passes a run that reached the end without escalation, and only that', () => {
    expect(evaluateOutcome({ check: 'no_escalation' }, facts()).value).toBe(1)
    expect(evaluateOutcome({ check: 'no_escalation' }, facts({ outcome: 'recovered' })).value).toBe(1)
    expect(evaluateOutcome({ check: 'no_escalation' }, facts({ tags: ['guardrail', 'human-escalation'] }))).toEqual({
      value: 0,
      detail: 'handed off to a human',
    })
    expect(evaluateOutcome({ check: 'no_escalation' }, facts({ outcome: 'failed' })).value).toBe(0)
    expect(evaluateOutcome({ check: 'no_escalation' }, facts({ outcome: 'running' })).value).toBe(0)
  })

  it('checks budgets and fails closed on an unknown cost', () => {
    expect(evaluateOutcome({ check: 'cost_budget', max: 0.01 }, facts()).value).toBe(1)
    expect(evaluateOutcome({ check: 'cost_budget', max: 0.001 }, facts()).value).toBe(0)
    expect(evaluateOutcome({ check: 'cost_budget', max: 1 }, facts({ costUsd: null }))).toEqual({
      value: 0,
      detail: 'cost unknown (unpriced model calls)',
    })
    expect(evaluateOutcome({ check: 'latency_budget', max: 1000 }, facts()).value).toBe(0)
    expect(evaluateOutcome({ check: 'step_budget', max: 6 }, facts()).value).toBe(1)
  })
})
