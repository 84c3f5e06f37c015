/**
 * LangGraph.js `createReactAgent` traced by OpenInference's LangChain instrumentation (OTLP/HTTP
 * protobuf). FINDINGS.md lists where LangGraph puts each fact.
 */
import type { GetSpanResponse } from '@sightline/schema'
import { getJson } from '@sightline/ingest/testing'
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'
import { storedValue } from './helpers/stored-run.js'

describeContract('langgraph', (ctx) => {
  it('shows the graph as an agent run named after the agent', () => {
    const { run } = ctx()
    const root = run.spans.find((s) => s.parentSpanId === '')
    expect(root).toMatchObject({ name: 'support_agent', kind: 'agent', agentName: 'support_agent' })
  })

  // The tool span records only the value of a single-argument tool; the arguments come from the
  // model call that asked for it, on the span read alone as on the whole trace.
  it('shows a single-argument tool call with its named arguments when one span is read', async () => {
    const { run, server } = ctx()
    const tool = run.spans.find((s) => s.kind === 'tool' && s.toolName === 'get_shipping_status')!
    const res = await getJson<GetSpanResponse>(server, `/api/v1/traces/${tool.traceId}/spans/${tool.spanId}`)
    expect(res.status).toBe(200)
    expect(storedValue(res.body.span.toolArguments)).toEqual({ tracking_number: 'TRK-5521' })
  })
})
