/**
 * LangGraph.js `createReactAgent` traced by OpenInference's LangChain instrumentation (OTLP/HTTP
 * protobuf). FINDINGS.md lists where LangGraph puts each fact.
 */
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'

describeContract('langgraph', (ctx) => {
  it('shows the graph as an agent run named after the agent', () => {
    const { run } = ctx()
    const root = run.spans.find((s) => s.parentSpanId === '')
    expect(root).toMatchObject({ name: 'support_agent', kind: 'agent', agentName: 'support_agent' })
  })
})
