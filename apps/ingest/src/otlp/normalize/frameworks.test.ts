/** LangGraph and OpenAI Agents spans whose OpenInference kind does not say what they are. */
import { describe, expect, it } from 'vitest'
import { makeRequest, makeSpan } from '../../../test/factories/decoded-span.js'
import { normalizeExportRequest } from './index.js'

const OPTS = { projectId: 'p', maxAttributeValueBytes: 1 << 20 }
const id = (n: number) => n.toString(16).padStart(16, '0')
const rowsOf = (scope: string, ...spans: ReturnType<typeof makeSpan>[]) =>
  normalizeExportRequest(makeRequest(spans, undefined, scope), OPTS).rows

describe('LangGraph (OpenInference LangChain)', () => {
  const scope = '@arizeai/openinference-instrumentation-langchain'
  const chain = (metadata: object) => ({ 'openinference.span.kind': 'CHAIN', metadata: JSON.stringify(metadata) })

  it('reads the graph run (integration marker, no node) as the agent, named after the graph', () => {
    const rows = rowsOf(
      scope,
      makeSpan({
        spanId: id(1),
        name: 'support_agent',
        attributes: chain({ ls_integration: 'langgraph', thread_id: 't1' }),
      }),
      makeSpan({
        spanId: id(2),
        parentSpanId: id(1),
        name: 'agent',
        attributes: chain({ ls_integration: 'langgraph', langgraph_node: 'agent' }),
      }),
      makeSpan({
        spanId: id(3),
        name: 'graph',
        attributes: chain({ ls_integration: 'langchain_create_agent', lc_agent_name: 'weather_agent' }),
      }),
      makeSpan({
        spanId: id(4),
        name: 'RunnableSequence',
        attributes: chain({ ls_integration: 'langchain_chat_model' }),
      }),
    )
    expect(rows.map((r) => [r.name, r.kind, r.agent_name])).toEqual([
      ['support_agent', 'agent', 'support_agent'],
      ['agent', 'chain', ''],
      ['graph', 'agent', 'weather_agent'],
      ['RunnableSequence', 'chain', ''],
    ])
  })

  it('takes the provider from `ls_provider` when no provider attribute is set', () => {
    const attrs = {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      metadata: '{"ls_provider":"openai","ls_model_name":"gpt-4o-mini"}',
    }
    expect(rowsOf(scope, makeSpan({ attributes: attrs }))[0]?.provider).toBe('openai')
    const google = { ...attrs, metadata: '{"ls_provider":"google_genai"}' }
    expect(rowsOf(scope, makeSpan({ attributes: google }))[0]?.provider).toBe('google')
  })
})

describe('OpenAI Agents (OpenInference processor)', () => {
  const scope = '@arizeai/openinference-instrumentation-openai-agents'

  it('reads the workflow span as the run, not an agent, and agents by their graph node', () => {
    const rows = rowsOf(
      scope,
      makeSpan({
        spanId: id(1),
        name: 'Billing support',
        attributes: { 'openinference.span.kind': 'AGENT', 'llm.system': 'openai' },
      }),
      makeSpan({
        spanId: id(2),
        parentSpanId: id(1),
        name: 'triage_agent',
        attributes: { 'openinference.span.kind': 'AGENT', 'graph.node.id': 'triage_agent' },
      }),
    )
    expect(rows.map((r) => [r.kind, r.agent_name])).toEqual([
      ['chain', ''],
      ['agent', 'triage_agent'],
    ])
    // Another library's AGENT span without a graph node is an agent as before.
    const vercel = rowsOf('ai', makeSpan({ name: 'planner', attributes: { 'openinference.span.kind': 'AGENT' } }))
    expect([vercel[0]?.kind, vercel[0]?.agent_name]).toEqual(['agent', 'planner'])
  })

  it('reads a `handoff to <agent>` TOOL span as a hand-off to that agent, not a tool call', () => {
    const attrs = {
      'openinference.span.kind': 'TOOL',
      'tool.name': 'handoff_to_billing_agent',
      'input.value': '{"from_agent":"triage_agent"}',
      'output.value': '{"to_agent":"billing_agent"}',
    }
    const [row] = rowsOf(scope, makeSpan({ name: 'handoff to billing_agent', attributes: attrs }))
    expect(row).toMatchObject({ kind: 'handoff', agent_name: 'billing_agent', tool_name: '' })
    const noOutput = rowsOf(
      scope,
      makeSpan({ name: 'handoff to billing_agent', attributes: { 'openinference.span.kind': 'TOOL' } }),
    )[0]
    expect([noOutput?.kind, noOutput?.agent_name]).toEqual(['handoff', 'billing_agent'])
  })
})

describe('a span no convention claims', () => {
  it('is still a model call when it carries a model and usage (priced, or counted unpriced)', () => {
    const [row] = rowsOf(
      'my-lib',
      makeSpan({ name: 'llm-step', attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10 } }),
    )
    expect([row?.kind, row?.is_llm_call, row?.input_tokens]).toEqual(['llm', true, 10])
    const noUsage = rowsOf('my-lib', makeSpan({ attributes: { 'gen_ai.request.model': 'gpt-4o' } }))[0]
    expect([noUsage?.kind, noUsage?.is_llm_call]).toEqual(['span', false])
  })
})
