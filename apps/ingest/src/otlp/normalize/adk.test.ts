import { describe, expect, it } from 'vitest'
import { makeRequest, makeSpan } from '../../../test/factories/decoded-span.js'
import { adkReportedToolErrors, unwrapAdkToolResult } from './adk.js'
import { normalizeExportRequest } from './index.js'

const OPTS = { projectId: 'p', maxAttributeValueBytes: 1 << 20 }
const id = (n: number) => n.toString(16).padStart(16, '0')
const rowsOf = (...spans: ReturnType<typeof makeSpan>[]) =>
  normalizeExportRequest(makeRequest(spans, undefined, 'gcp.vertex.agent'), OPTS).rows

/** As @google/adk 2.0.0 writes a model call (packages/contract-tests/fixtures/adk). */
const callLlm = (request: object, response: object) => ({
  'gen_ai.system': 'gcp.vertex.agent',
  'gen_ai.request.model': 'gemini-2.5-flash',
  'gen_ai.agent.name': 'trip_planner',
  'gcp.vertex.agent.session_id': 'adk-session-7',
  'gcp.vertex.agent.llm_request': JSON.stringify(request),
  'gcp.vertex.agent.llm_response': JSON.stringify(response),
  'gen_ai.usage.input_tokens': 530,
  'gen_ai.usage.output_tokens': 20,
})

const user = (text: string) => ({ role: 'user', parts: [{ text }] })
const call = (name: string, args: object) => ({ role: 'model', parts: [{ functionCall: { name, args } }] })
const answer = (name: string, response: object) => ({ role: 'user', parts: [{ functionResponse: { name, response } }] })

describe('Google ADK', () => {
  it('reads call_llm as one model call, Gemini usage as billed (thoughts: output, reasoning), provider google', () => {
    const usageMetadata = {
      promptTokenCount: 530,
      candidatesTokenCount: 20,
      cachedContentTokenCount: 256,
      thoughtsTokenCount: 21,
      totalTokenCount: 571,
    }
    const response = {
      content: { role: 'model', parts: [{ functionCall: { name: 'lookup_flight', args: { from: 'LHR' } } }] },
      usageMetadata,
    }
    const [row] = rowsOf(
      makeSpan({
        name: 'call_llm',
        attributes: callLlm({ model: 'gemini-2.5-flash', contents: [user('Plan a trip')] }, response),
      }),
    )
    expect(row).toMatchObject({
      kind: 'llm',
      is_llm_call: true,
      provider: 'google',
      model: 'gemini-2.5-flash',
      agent_name: 'trip_planner',
      session_id: 'adk-session-7',
      input_tokens: 530,
      output_tokens: 41,
      cached_input_tokens: 256,
      reasoning_tokens: 21,
      input_preview: 'Plan a trip',
    })
    expect(JSON.parse(row!.output)).toEqual(response)
  })

  it('counts a call_llm that failed before any usage as a model call', () => {
    const attrs = { 'gen_ai.system': 'gcp.vertex.agent', 'gen_ai.request.model': 'gemini-2.5-flash' }
    const [row] = rowsOf(makeSpan({ name: 'call_llm', attributes: attrs, status: { code: 2, message: '429' } }))
    expect([row?.kind, row?.is_llm_call]).toEqual(['llm', true])
  })

  it('reports only the failed function responses a request adds, by tool name', () => {
    const history = [
      user('Plan'),
      call('get_weather', { city: 'Paris' }),
      answer('get_weather', { tempC: 18 }),
      call('lookup_flight', { to: 'CDG' }),
    ]
    const failedNow = {
      contents: [...history, answer('lookup_flight', { error: "Error in tool 'lookup_flight': timed out" })],
    }
    expect(adkReportedToolErrors({ 'gcp.vertex.agent.llm_request': JSON.stringify(failedNow) })).toEqual([
      'lookup_flight',
    ])
    // The next request repeats the failure in its history: reported once, by the request that added it.
    const later = {
      contents: [
        ...failedNow.contents,
        call('lookup_flight', { to: 'CDG' }),
        answer('lookup_flight', { flight: 'AF1081' }),
      ],
    }
    expect(adkReportedToolErrors({ 'gcp.vertex.agent.llm_request': JSON.stringify(later) })).toEqual([])
    expect(adkReportedToolErrors({ 'gcp.vertex.agent.llm_request': '{}' })).toEqual([])
    const [row] = rowsOf(makeSpan({ name: 'call_llm', attributes: callLlm(failedNow, {}) }))
    expect(row?.reported_tool_errors).toEqual(['lookup_flight'])
  })

  it('reads tool arguments and results from its own keys, unwrapping the result ADK wrapped', () => {
    const attrs = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'researcher',
      'gen_ai.tool.type': 'AgentTool',
      'gen_ai.tool.call.id': 'adk-0dc2',
      'gcp.vertex.agent.llm_request': '{}',
      'gcp.vertex.agent.llm_response': '{}',
      'gcp.vertex.agent.tool_call_args': '{"request":"Three sights"}',
      'gcp.vertex.agent.tool_response': '{"result":"The Orangerie."}',
    }
    const [row] = rowsOf(makeSpan({ name: 'execute_tool researcher', attributes: attrs }))
    expect(row).toMatchObject({
      kind: 'tool',
      tool_name: 'researcher',
      tool_call_id: 'adk-0dc2',
      tool_arguments: '{"request":"Three sights"}',
      tool_result: '"The Orangerie."',
    })
    expect([row?.input, row?.output]).toEqual(['{"request":"Three sights"}', '{"result":"The Orangerie."}'])
    expect(unwrapAdkToolResult('{"results":[1,2]}')).toEqual([1, 2])
    expect(unwrapAdkToolResult('{"result":{"a":1}}')).toBe('{"result":{"a":1}}')
    expect(unwrapAdkToolResult('{"result":1,"other":2}')).toBe('{"result":1,"other":2}')
    const noId = rowsOf(
      makeSpan({ name: 'execute_tool t', attributes: { ...attrs, 'gen_ai.tool.call.id': '<not specified>' } }),
    )[0]
    expect(noId?.tool_call_id).toBe('')
  })

  it('flags the runner span `invocation` as a generic name (the trace is named after its root agent)', () => {
    const rows = rowsOf(
      makeSpan({ spanId: id(1), name: 'invocation' }),
      makeSpan({
        spanId: id(2),
        parentSpanId: id(1),
        name: 'invoke_agent trip_planner',
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'trip_planner' },
      }),
    )
    expect(rows.map((r) => [r.kind, r.flags])).toEqual([
      ['chain', ['generic_name']],
      ['agent', []],
    ])
    const other = normalizeExportRequest(makeRequest([makeSpan({ name: 'invocation' })]), OPTS).rows[0]
    expect(other?.flags).toEqual([])
  })
})
