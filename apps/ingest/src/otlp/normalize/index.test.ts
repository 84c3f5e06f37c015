import { describe, expect, it } from 'vitest'
import { MAX_REJECTION_MESSAGES, normalizeExportRequest } from './index.js'
import { makeRequest, makeSpan } from '../../../test/factories/decoded-span.js'

const OPTS = { projectId: 'proj-1', maxAttributeValueBytes: 64 }
const id = (n: number) => n.toString(16).padStart(16, '0')

describe('normalizeExportRequest', () => {
  it('rejects invalid spans one by one and keeps the rest (partial success)', () => {
    const spans = [
      makeSpan({ spanId: id(1), name: 'good' }),
      makeSpan({ spanId: 'xyz', name: 'bad-id' }),
      makeSpan({ spanId: id(3), startTimeUnixNano: '0', name: 'no-start' }),
    ]
    const { rows, rejected } = normalizeExportRequest(makeRequest(spans), OPTS)
    expect(rows.map((row) => row.name)).toEqual(['good'])
    expect(rejected.count).toBe(2)
    expect(rejected.messages[0]).toContain("span 'bad-id'")
    expect(rejected.messages[0]).toContain('span id is not 16 hex characters')
    expect(rejected.messages[1]).toContain('start time is missing or zero')
  })

  it('counts every rejection but caps the messages', () => {
    const spans = Array.from({ length: 25 }, () => makeSpan({ traceId: '' }))
    const { rejected } = normalizeExportRequest(makeRequest(spans), OPTS)
    expect(rejected.count).toBe(25)
    expect(rejected.messages).toHaveLength(MAX_REJECTION_MESSAGES)
  })

  it('flags every span of a process `sightline regress` started (replay mark on resource) as a regression run', () => {
    const marked = makeRequest([makeSpan({ spanId: id(1) }), makeSpan({ spanId: id(2), parentSpanId: id(1) })], {
      'service.name': 'weather-agent',
      'sightline.regress.run_id': 'a1b2c3d4e5f60718',
      'sightline.regress.case_id': 'rc-weather-loop',
    })
    expect(normalizeExportRequest(marked, OPTS).rows.map((row) => row.flags.includes('regression_run'))).toEqual([
      true,
      true,
    ])
    const production = makeRequest([makeSpan({ spanId: id(3) })], { 'service.name': 'weather-agent' })
    expect(normalizeExportRequest(production, OPTS).rows[0]!.flags).not.toContain('regression_run')
  })

  it('flags regression-runner traffic, marked on the resource or on the span', () => {
    const byResource = normalizeExportRequest(
      makeRequest([makeSpan({})], { 'service.name': 'planner', 'sightline.regression.case': 'rc-1' }),
      OPTS,
    ).rows[0]
    const bySpan = normalizeExportRequest(
      makeRequest([makeSpan({ attributes: { 'sightline.regression.case': 'rc-1' } })]),
      OPTS,
    ).rows[0]
    const production = normalizeExportRequest(makeRequest([makeSpan({})], { 'service.name': 'planner' }), OPTS).rows[0]
    expect(byResource?.flags).toContain('regression_run')
    expect(bySpan?.flags).toContain('regression_run')
    expect(production?.flags).not.toContain('regression_run')
  })

  it('fills row metadata from options, resource and scope', () => {
    const request = makeRequest([makeSpan({ kind: 3, traceState: 'k=v' })], {
      'service.name': 'svc',
      'service.version': '2.0',
      'deployment.environment.name': 'prod',
    })
    const [row] = normalizeExportRequest(request, OPTS).rows
    expect(row).toMatchObject({
      project_id: 'proj-1',
      service_name: 'svc',
      service_version: '2.0',
      environment: 'prod',
      scope_name: 'scope',
      scope_version: '1.0',
      otel_kind: 3,
      trace_state: 'k=v',
      resource_attributes: { 'service.name': 'svc', 'service.version': '2.0', 'deployment.environment.name': 'prod' },
      cost_usd: null,
      cost_source: '',
      is_unpriced: false,
    })
  })

  it('gives tokens to provider calls only; the aggregate keeps its sums in attributes', () => {
    const spans = [
      makeSpan({
        spanId: id(1),
        name: 'ai.generateText',
        attributes: {
          'ai.operationId': 'ai.generateText',
          'ai.telemetry.functionId': 'fn',
          'ai.usage.inputTokens': 10,
        },
      }),
      makeSpan({
        spanId: id(2),
        parentSpanId: id(1),
        attributes: { 'ai.operationId': 'ai.generateText.doGenerate', 'ai.usage.inputTokens': 10 },
      }),
    ]
    const [root, call] = normalizeExportRequest(makeRequest(spans), OPTS).rows
    // The root keeps the usage it reports; the resolver tells the aggregate from the call (core/trace/roles.ts).
    expect([root?.input_tokens, root?.is_llm_call, root?.attributes['ai.usage.inputTokens']]).toEqual([10, false, '10'])
    expect([call?.input_tokens, call?.is_llm_call]).toEqual([10, true])
  })

  it('keeps only the agent a span names itself: inheritance needs the whole trace (the resolver)', () => {
    const spans = [
      makeSpan({
        spanId: id(1),
        name: 'invoke_agent outer',
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'outer' },
      }),
      makeSpan({ spanId: id(2), parentSpanId: id(1), name: 'step' }),
      makeSpan({
        spanId: id(3),
        parentSpanId: id(2),
        name: 'invoke_agent inner',
        attributes: { 'gen_ai.operation.name': 'invoke_agent' },
      }),
      makeSpan({ spanId: id(4), parentSpanId: id(3), name: 'chat m', attributes: { 'gen_ai.operation.name': 'chat' } }),
      makeSpan({ spanId: id(5), parentSpanId: id(2), name: 'chat n', attributes: { 'gen_ai.agent.name': 'own' } }),
      makeSpan({ spanId: id(6), parentSpanId: id(99), name: 'orphan' }),
    ]
    const names = normalizeExportRequest(makeRequest(spans), OPTS).rows.map((row) => [row.name, row.agent_name])
    expect(names).toEqual([
      ['invoke_agent outer', 'outer'],
      ['step', ''],
      ['invoke_agent inner', 'inner'],
      ['chat m', ''],
      ['chat n', 'own'],
      ['orphan', ''],
    ])
  })

  it('reads session and user ids from the span itself (the trace’s ids are the resolver’s answer)', () => {
    const other = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    const spans = [
      makeSpan({ spanId: id(1), attributes: { 'session.id': 's1', 'user.id': 'u1' } }),
      makeSpan({ spanId: id(2) }),
      makeSpan({ spanId: id(3), traceId: other, attributes: { 'user.id': 'a' } }),
      makeSpan({ spanId: id(4), traceId: other, attributes: { 'user.id': 'b' } }),
      makeSpan({ spanId: id(5), traceId: other }),
    ]
    const rows = normalizeExportRequest(makeRequest(spans), OPTS).rows
    expect(rows.map((row) => [row.session_id, row.user_id])).toEqual([
      ['s1', 'u1'],
      ['', ''],
      ['', 'a'],
      ['', 'b'],
      ['', ''],
    ])
  })

  it('uses gen_ai.conversation.id as the session when the span has no session key', () => {
    const spans = [
      makeSpan({ spanId: id(1), attributes: { 'gen_ai.conversation.id': 'conv-1' } }),
      makeSpan({ spanId: id(2), attributes: { 'gen_ai.conversation.id': 'conv-1', 'session.id': 's' } }),
    ]
    expect(normalizeExportRequest(makeRequest(spans), OPTS).rows.map((row) => row.session_id)).toEqual(['conv-1', 's'])
  })

  it('caps long values and flags the row', () => {
    const long = 'x'.repeat(200)
    const span = makeSpan({
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.arguments': long, 'input.value': long },
    })
    const [row] = normalizeExportRequest(makeRequest([span]), OPTS).rows
    expect(row?.attributes['input.value']).toHaveLength(64)
    expect(row?.input.length).toBe(64)
    expect(row?.tool_arguments.length).toBe(64)
    expect(row?.flags).toEqual(['truncated'])
  })

  it('writes events and links as JSON arrays', () => {
    const span = makeSpan({
      events: [{ timeUnixNano: '1700000000000000001', name: 'evt', attributes: { k: 'v', n: 1 } }],
      links: [{ traceId: 'AB'.repeat(16), spanId: 'CD'.repeat(8), attributes: {} }],
    })
    const [row] = normalizeExportRequest(makeRequest([span]), OPTS).rows
    expect(JSON.parse(row?.events ?? '')).toEqual([
      { time: '2023-11-14T22:13:20.000000001Z', name: 'evt', attributes: { k: 'v', n: '1' } },
    ])
    expect(JSON.parse(row?.links ?? '')).toEqual([{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), attributes: {} }])
  })

  it('marks which end of an MCP call a span is (the resolver counts the call once)', () => {
    const attrs = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search',
      'mcp.method.name': 'tools/call',
    }
    const client = makeSpan({ spanId: '1111111111111111', kind: 3, name: 'tools/call search', attributes: attrs })
    const server = makeSpan({
      spanId: '2222222222222222',
      parentSpanId: '1111111111111111',
      kind: 2,
      name: 'tools/call search',
      attributes: attrs,
    })
    const rows = normalizeExportRequest(makeRequest([client, server]), OPTS).rows
    expect(rows.map((r) => [r.kind, r.flags])).toEqual([
      ['tool', ['mcp:client']],
      ['tool', ['mcp:server']],
    ])
  })

  it('stores a prompt once: the attribute that became `input` points at the column', () => {
    const messages = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'x'.repeat(300) }] }])
    const span = makeSpan({
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': messages,
        'gen_ai.request.model': 'gpt-4o',
      },
    })
    const [row] = normalizeExportRequest(makeRequest([span]), { ...OPTS, maxAttributeValueBytes: 1 << 20 }).rows
    expect(row?.input).toBe(messages)
    expect(row?.attributes['gen_ai.input.messages']).toBe('@sightline:same-as-column:input')
    expect(row?.attributes['gen_ai.request.model']).toBe('gpt-4o')
  })
})
