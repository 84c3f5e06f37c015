import { describe, expect, it } from 'vitest'
import { RegressionCaseSchema } from '@sightline/schema'
import { evaluateCase } from './assertions.js'
import { observeRun } from './observe.js'
import { envNameForAgent, proposeCase } from './propose.js'
import { loopTrace, span } from '../../test/regression-spans.js'

const now = '2026-01-02T00:00:00.000Z'

describe('proposeCase', () => {
  it('turns a loop into a failure reason, a collapsed trajectory, a repeated-call check failing on the source', () => {
    const { case: rc, checks } = proposeCase(loopTrace(8, { fail: true }), { now })
    expect(RegressionCaseSchema.parse(rc)).toEqual(rc)
    expect(rc.failure.category).toBe('loop')
    expect(rc.failure.summary).toMatch(/weather \{"city":"Atlantis"\} called 8 times/)
    expect(rc.failure.evidenceSpanIds).toHaveLength(8)
    const weather = rc.expected.trajectory.filter((s) => s.name === 'weather')
    expect(weather).toHaveLength(2)
    expect(rc.expected.trajectory.map((s) => s.kind)).toEqual(['agent_delegation', 'tool_call', 'tool_call'])
    expect(rc.expected.match).toMatchObject({ order: 'strict', extras: 'forbid', missing: 'forbid' })
    const repeated = rc.assertions.find((a) => a.type === 'max_repeated_calls')
    expect(repeated).toMatchObject({ tool: 'weather', max: 2, blocking: true })
    const check = (id: string) => checks.find((c) => c.assertionId === id)!
    expect(check(repeated!.id).checkedAgainstSource.wouldFail).toBe(true)
    expect(check('trajectory').checkedAgainstSource.wouldFail).toBe(true)
    expect(check('status-ok').checkedAgainstSource.wouldFail).toBe(true)
    // the recorded world: the tool error and the sub-agent answer
    expect(rc.recordings.tools).toEqual([
      expect.objectContaining({
        tool: 'weather',
        args: { city: 'Atlantis' },
        result: expect.objectContaining({ isError: true }),
      }),
    ])
    expect(rc.recordings.agents).toEqual([
      expect.objectContaining({ agent: 'researcher-agent', caller: 'weather-agent', answer: 'Atlantis is a legend.' }),
    ])
    expect(rc.replay.env).toEqual({
      MCP_URL: { kind: 'mcp' },
      RESEARCHER_URL: { kind: 'a2a', agent: 'researcher-agent' },
    })
    expect(rc.input.text).toBe('check the weather in Atlantis')
    expect(rc.agent).toMatchObject({ name: 'weather-agent', release: '1.0.0', protocol: 'a2a-1.0' })
  })

  it('flags a budget that the source stays within as never failing, and proposes it advisory', () => {
    const { case: rc, checks } = proposeCase(loopTrace(8, { fail: true }), { now })
    const tokens = checks.find((c) => c.assertionId === 'budget-tokens')!
    expect(tokens.checkedAgainstSource.wouldFail).toBe(false)
    expect(tokens.warning).toMatch(/never fails/)
    expect(rc.assertions.find((a) => a.id === 'budget-tokens')?.blocking).toBe(false)
    // the tool-call budget is set from the expected trajectory, so the loop breaks it
    expect(checks.find((c) => c.assertionId === 'budget-tool-calls')!.checkedAgainstSource.wouldFail).toBe(true)
  })

  it('a fixed run (two attempts, then an answer) passes the proposed blocking assertions', () => {
    const { case: rc } = proposeCase(loopTrace(8, { fail: true }), { now })
    const fixed = observeRun(loopTrace(2))
    const { passed, results } = evaluateCase(rc, fixed)
    expect(results.filter((r) => !r.passed)).toEqual([])
    expect(passed).toBe(true)
  })

  it('previews redaction and names the fields it masked', () => {
    const { case: rc, redaction } = proposeCase(loopTrace(3, { email: true }), { now })
    expect(rc.input.text).toBe('check the weather in Atlantis and mail [REDACTED:email]')
    expect(redaction.fields).toContain('/input/text')
    expect(proposeCase(loopTrace(3, { email: true }), { now, redact: false }).case.input.text).toContain(
      'bob@example.com',
    )
  })

  it('names env vars after agents', () => {
    expect(envNameForAgent('researcher-agent')).toBe('RESEARCHER_URL')
    expect(envNameForAgent('billing')).toBe('BILLING_URL')
  })

  it('does not take an in-process sub-agent (same service, no hand-off) for an A2A delegation to stub', () => {
    // The demo planner: `invoke_agent planner-agent` (A2A server) → `invoke_agent planner` (withAgent) → tool calls.
    const spans = loopTrace(4, { fail: true })
    const root = spans[0]!
    const inner = span({
      at: 2,
      parentSpanId: root.spanId,
      name: 'invoke_agent planner',
      kind: 'agent',
      agentName: 'planner',
    })
    const reparented = spans.map((s) =>
      s.kind === 'tool' || s.kind === 'llm' ? { ...s, parentSpanId: inner.spanId } : s,
    )
    const { case: rc } = proposeCase([...reparented, inner], { now })
    expect(rc.expected.trajectory.map((s) => `${s.kind}:${s.name}`)).toEqual([
      'agent_delegation:researcher-agent',
      'tool_call:weather',
      'tool_call:weather',
    ])
    expect(rc.recordings.agents.map((a) => a.agent)).toEqual(['researcher-agent'])
    expect(Object.keys(rc.replay.env)).toEqual(['MCP_URL', 'RESEARCHER_URL'])
  })
})
