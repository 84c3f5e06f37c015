/** Hand-made spans for the regression unit tests (not exported from the package barrel). */
import type { ObservableSpan } from '../src/regression/observe.js'

let counter = 0
const TRACE_ID = 'abcdef0123456789abcdef0123456789'
// A leading letter keeps an id from reading as a card number to the redactor (an all-digit id that passes
// Luhn, e.g. 0000000000000059, would be masked), whatever the counter reached in earlier test files.
const spanId = () => `a${(++counter).toString(16).padStart(15, '0')}`

export function span(overrides: Partial<ObservableSpan> & { at: number }): ObservableSpan {
  const { at, ...rest } = overrides
  const start = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + at).toISOString()
  const end = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + at + 10).toISOString()
  return {
    traceId: TRACE_ID,
    spanId: spanId(),
    parentSpanId: '',
    name: 'span',
    kind: 'span',
    startTime: start,
    endTime: end,
    durationMs: 10,
    status: 'ok',
    statusMessage: '',
    errorType: '',
    serviceName: 'weather-agent',
    serviceVersion: '1.0.0',
    environment: 'test',
    agentName: '',
    model: '',
    isLlmCall: false,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    toolName: '',
    toolArguments: '',
    toolResult: '',
    input: '',
    output: '',
    attributes: {},
    flags: [],
    ...rest,
  }
}

/** weather-agent asks `weather(Atlantis)` `loops` times, every answer "not found"; optionally fails. */
export function loopTrace(loops: number, options: { fail?: boolean; email?: boolean } = {}): ObservableSpan[] {
  const root = span({
    at: 0,
    name: 'invoke_agent weather-agent',
    kind: 'agent',
    agentName: 'weather-agent',
    attributes: { 'a2a.method': 'SendMessage', 'a2a.agent.name': 'weather-agent' },
    input: JSON.stringify([
      {
        role: 'user',
        parts: [
          { type: 'text', content: `check the weather in Atlantis${options.email ? ' and mail bob@example.com' : ''}` },
        ],
      },
    ]),
    ...(options.fail ? { status: 'error', statusMessage: 'exceeded max steps', errorType: 'Error' } : {}),
  })
  const spans = [root]
  const handoff = span({
    at: 1,
    parentSpanId: root.spanId,
    name: 'invoke_agent researcher-agent',
    kind: 'handoff',
    agentName: 'researcher-agent',
    output: 'Atlantis is a legend.',
  })
  spans.push(handoff)
  for (let i = 0; i < loops; i++) {
    spans.push(
      span({
        at: 10 + i * 10,
        parentSpanId: root.spanId,
        name: 'chat gpt-4o-mini',
        kind: 'llm',
        isLlmCall: true,
        model: 'gpt-4o-mini',
        inputTokens: 100,
        outputTokens: 10,
        costUsd: 0.001,
        output: 'weather({"city":"Atlantis"})',
      }),
    )
    spans.push(
      span({
        at: 15 + i * 10,
        parentSpanId: root.spanId,
        name: 'tools/call weather',
        kind: 'tool',
        toolName: 'weather',
        attributes: { 'mcp.method.name': 'tools/call' },
        toolArguments: '{"city":"Atlantis"}',
        toolResult: JSON.stringify({ content: [{ type: 'text', text: 'not found: Atlantis' }], isError: true }),
        status: 'error',
        errorType: 'tool_error',
      }),
    )
  }
  return spans
}
