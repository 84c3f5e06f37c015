import { describe, expect, it } from 'vitest'
import { API_T0, apiSpans } from '../../test/api-spans.js'
import { agent, facts, llm, tool } from '../../test/facts.js'
import { toolArgsKey } from '../content/args-key.js'
import { resolveTrace } from './resolve.js'
import type { SpanFacts } from './span-facts.js'
import { resolveSpans, spanToFacts } from './span-to-facts.js'

const ARGS = '{"city":"Atlantis"}'

/**
 * planner → chat; an MCP weather call traced on both ends (the server end failing); a hand-off to
 * researcher whose server span and chat sit in another service; an ADK-style tool whose failure
 * only a later model request reports; a generation aggregate over its chat call.
 */
function trace(): SpanFacts[] {
  return [
    agent('planner', { spanId: 'root', serviceName: 'planner', startMs: 0, endMs: 200, userId: 'u1', sessionId: 's1' }),
    llm({ spanId: 'gen', parentSpanId: 'root', kind: 'llm', inputTokens: 100, outputTokens: 10, startMs: 1, endMs: 9 }),
    llm({ spanId: 'chat', parentSpanId: 'gen', inputTokens: 100, outputTokens: 10, startMs: 2, endMs: 8 }),
    tool({
      spanId: 'mcp-client',
      parentSpanId: 'root',
      toolName: 'weather',
      flags: ['mcp:client'],
      toolArgsKey: toolArgsKey(ARGS),
      startMs: 10,
      endMs: 20,
    }),
    tool({
      spanId: 'mcp-server',
      parentSpanId: 'mcp-client',
      toolName: 'weather',
      serviceName: 'tools',
      flags: ['mcp:server'],
      startMs: 11,
      endMs: 19,
      status: 'error',
      statusMessage: 'not found',
    }),
    facts({
      spanId: 'handoff',
      parentSpanId: 'root',
      kind: 'handoff',
      name: 'invoke_agent researcher',
      agentName: 'researcher',
      flags: ['a2a:client'],
      startMs: 30,
      endMs: 60,
    }),
    agent('researcher', {
      spanId: 'r-server',
      parentSpanId: 'handoff',
      serviceName: 'researcher',
      flags: ['a2a:server'],
      startMs: 31,
      endMs: 59,
    }),
    llm({ spanId: 'r-chat', parentSpanId: 'r-server', serviceName: 'researcher', startMs: 32, endMs: 40 }),
    tool({ spanId: 'lookup', parentSpanId: 'root', toolName: 'lookup', toolCallId: 'call-1', startMs: 70, endMs: 75 }),
    llm({ spanId: 'after', parentSpanId: 'root', startMs: 80, endMs: 90, reportedToolErrors: ['call-1'] }),
  ]
}

describe('spanToFacts', () => {
  it('turns the API spans of a resolved trace back into facts that resolve to the same answer', () => {
    const original = resolveTrace(trace(), { settled: true })
    const again = resolveSpans(apiSpans(trace(), { 'mcp-client': { toolArguments: ARGS } }))
    expect(again.roles).toEqual(original.roles)
    expect(again.failures).toEqual(original.failures)
    expect(again.trace).toEqual({
      ...original.trace,
      startMs: API_T0 + original.trace.startMs,
      endMs: API_T0 + original.trace.endMs,
    })
    expect(original.trace).toMatchObject({ toolCalls: 2, delegations: 1, llmCalls: 3, outcome: 'recovered' })
    expect(original.failures.failed.get('lookup')).toEqual({ inferred: true })
  })

  it('gives a hand-off the agent it reaches, not the caller the API names it for', () => {
    const [handoff] = apiSpans(trace()).filter((s) => s.spanId === 'handoff')
    expect(handoff).toMatchObject({ agentName: 'planner', delegateTo: 'researcher' })
    expect(spanToFacts(handoff!).agentName).toBe('researcher')
  })

  it('reads a hand-built span without resolution fields as it says: unknown kinds and statuses fall back', () => {
    const f = spanToFacts({
      spanId: 'a',
      parentSpanId: '',
      name: 'x',
      kind: 'workflow',
      status: 'ERROR',
      startTime: '2026-01-01T00:00:00.000Z',
      endTime: '2026-01-01T00:00:00.010Z',
      durationMs: 10,
      serviceName: 'svc',
      agentName: '',
      model: 'm',
      isLlmCall: true,
      toolName: '',
      toolArguments: '',
      flags: [],
    })
    expect(f).toMatchObject({
      kind: 'span',
      status: 'unset',
      isLlmCall: true,
      endMs: f.startMs + 10,
      reportedToolErrors: [],
      costUsd: null,
    })
  })
})
