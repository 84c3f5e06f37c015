/**
 * End to end against our own reader: the SDK's spans go through the real OTLP/HTTP protobuf exporter
 * to a loopback server, and the captured body is decoded and normalised by apps/ingest's code and
 * resolved by the trace resolver, so the test proves Sightline classifies what the SDK writes.
 * (Test-only cross-package import.)
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { SpanRowInsert } from '@sightline/schema'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveTrace } from '@sightline/core'
import { decodeExportRequest } from '@sightline/ingest/testing/otlp-decode'
import { normalizeExportRequest } from '@sightline/ingest/testing/otlp-normalize'
import { factsFromRow } from '@sightline/ingest/testing/span-facts'
import { startLoopbackServer, type LoopbackServer } from '../test/http-server.js'
import {
  a2aTraceHeaders,
  registerSightline,
  withA2aCall,
  withA2aServer,
  withAgent,
  withGuardrail,
  withLlmCall,
  withMcpToolCall,
  withTool,
  type SightlineHandle,
} from './index.js'

let server: LoopbackServer | undefined
let sdk: SightlineHandle | undefined
afterEach(async () => {
  await sdk?.shutdown()
  await server?.close()
})

interface Capture {
  path: string | undefined
  headers: IncomingHttpHeaders
  body: Buffer
}

async function runAgentScenario(): Promise<void> {
  await withAgent(
    'router',
    async () => {
      await withGuardrail('pii-filter', () => true)
      await withLlmCall({ model: 'claude-sonnet-4', provider: 'anthropic', input: 'hi' }, (call) =>
        call.record({
          responseModel: 'claude-sonnet-4-20250514',
          usage: {
            inputTokens: 1200,
            outputTokens: 300,
            cachedInputTokens: 1000,
            cacheWriteTokens: 100,
            reasoningTokens: 50,
          },
          output: 'hello',
          finishReasons: ['end_turn'],
        }),
      )
      await withTool('get_weather', { city: 'Oslo' }, () => ({ c: 4 }), { callId: 'call_1' })
      await withTool('flaky', {}, () => Promise.reject(new TypeError('bad input'))).catch(() => {})
      await withMcpToolCall({ server: 'docs', tool: 'search', args: { q: 'otel' } }, () => ({
        content: [],
      }))
      await withA2aCall({ targetAgent: 'billing', method: 'SendMessage' }, () =>
        // In-process stand-in for the remote agent: same headers as an HTTP hop would carry.
        withA2aServer({ agentName: 'billing', method: 'SendMessage' }, a2aTraceHeaders(), () =>
          withTool('charge_card', { amount: 5 }, () => 'ok'),
        ),
      )
    },
    { sessionId: 'conv-9', userId: 'user-3' },
  )
}

describe('SDK spans through OTLP protobuf into the ingest normaliser', () => {
  it('are classified and filled as intended', async () => {
    const captures: Capture[] = []
    server = await startLoopbackServer((req, body, res) => {
      captures.push({ path: req.url, headers: req.headers, body })
      res.setHeader('content-type', 'application/x-protobuf')
      res.end()
    })
    sdk = registerSightline({
      endpoint: `${server.url}/`,
      apiKey: 'sk-sightline-test',
      serviceName: 'support-bot',
      serviceVersion: '1.4.0',
      environment: 'staging',
      captureContent: true,
    })
    await runAgentScenario()
    await sdk.forceFlush()

    expect(captures.length).toBeGreaterThan(0)
    const first = captures[0] as Capture
    expect(first.path).toBe('/v1/traces')
    expect(first.headers.authorization).toBe('Bearer sk-sightline-test')
    expect(first.headers['content-type']).toBe('application/x-protobuf')

    const rows = captures.flatMap(
      (c) =>
        normalizeExportRequest(decodeExportRequest(new Uint8Array(c.body), 'protobuf'), {
          projectId: 'p1',
          maxAttributeValueBytes: 64_000,
        }).rows,
    )
    const row = (name: string, otelKind?: number): SpanRowInsert => {
      const found = rows.filter((r) => r.name === name && (otelKind === undefined || r.otel_kind === otelKind))
      if (found.length !== 1) throw new Error(`expected one row '${name}', got ${found.length}`)
      return found[0] as SpanRowInsert
    }

    expect(rows).toHaveLength(9)
    expect(new Set(rows.map((r) => r.trace_id)).size).toBe(1)
    for (const r of rows)
      expect(r).toMatchObject({ service_name: 'support-bot', service_version: '1.4.0', environment: 'staging' })
    // What needs the whole trace (its session and user, the agent each span works for) is the resolver's answer.
    const { trace, roles } = resolveTrace(rows.map(factsFromRow), { settled: true })
    expect(trace).toMatchObject({
      sessionId: 'conv-9',
      userId: 'user-3',
      toolCalls: 4,
      toolErrors: 1,
      delegations: 1,
      llmCalls: 1,
    })
    const agentOf = (name: string, otelKind?: number) => roles.get(row(name, otelKind).span_id)?.agent

    expect(row('invoke_agent router')).toMatchObject({ kind: 'agent', agent_name: 'router' })
    expect(row('guardrail pii-filter')).toMatchObject({ kind: 'guardrail' })
    expect(agentOf('guardrail pii-filter')).toBe('router')
    expect(agentOf('chat claude-sonnet-4')).toBe('router')
    expect(row('chat claude-sonnet-4')).toMatchObject({
      kind: 'llm',
      is_llm_call: true,
      model: 'claude-sonnet-4-20250514',
      provider: 'anthropic',
      input_tokens: 1200,
      output_tokens: 300,
      cached_input_tokens: 1000,
      cache_write_tokens: 100,
      reasoning_tokens: 50,
    })
    expect(JSON.parse(row('chat claude-sonnet-4').input)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
    ])
    expect(agentOf('execute_tool get_weather')).toBe('router')
    expect(row('execute_tool get_weather')).toMatchObject({
      kind: 'tool',
      tool_name: 'get_weather',
      tool_call_id: 'call_1',
      tool_arguments: '{"city":"Oslo"}',
      tool_result: '{"c":4}',
      input_tokens: 0,
    })
    expect(row('execute_tool flaky')).toMatchObject({
      status: 'error',
      error_type: 'TypeError',
      status_message: 'bad input',
    })
    expect(row('tools/call search')).toMatchObject({ kind: 'tool', tool_name: 'search' })
    expect(agentOf('tools/call search')).toBe('router')
    // The A2A client span is the hand-off; the server span is the remote agent, whose children
    // inherit its name rather than the caller's.
    expect(row('invoke_agent billing', 3)).toMatchObject({ kind: 'handoff' })
    expect(row('invoke_agent billing', 2)).toMatchObject({ kind: 'agent', agent_name: 'billing' })
    expect(row('execute_tool charge_card')).toMatchObject({ kind: 'tool' })
    expect(agentOf('execute_tool charge_card')).toBe('billing')
    expect(agentOf('invoke_agent billing', 3)).toBe('router')
  })
})
