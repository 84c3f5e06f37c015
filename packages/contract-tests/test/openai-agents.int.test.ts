/**
 * OpenAI Agents SDK with a handoff, traced by OpenInference's OpenAI Agents instrumentation
 * (OTLP/HTTP protobuf). FINDINGS.md lists where the SDK's spans put each fact.
 */
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'

describeContract('openai-agents', (ctx) => {
  it('names the trace after the workflow, which is not an agent', () => {
    const { run } = ctx()
    expect(run.traces.map((t) => t.name)).toEqual(['Billing support'])
    expect(run.traces.flatMap((t) => t.agents)).not.toContain('Billing support')
  })

  it('counts the hand-off as one delegation to the agent it names', () => {
    const { run } = ctx()
    expect(run.traces.map((t) => t.delegationCount)).toEqual([1])
    expect(run.spans.filter((s) => s.isDelegation).map((s) => [s.kind, s.agentName])).toEqual([
      ['handoff', 'triage_agent'],
    ])
  })
})
