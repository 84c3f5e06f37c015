import { describe, expect, it } from 'vitest'
import { MOVED_ATTRIBUTE_MARKER, spanRowToSpan, type SpanRowRead } from './rows.js'

const row: SpanRowRead = {
  project_id: 'p',
  trace_id: 'a'.repeat(32),
  span_id: 'b'.repeat(16),
  parent_span_id: '',
  trace_state: '',
  name: 'chat gpt-4o',
  kind: 'llm',
  otel_kind: 3,
  start_time: '2026-01-02 03:04:05.123456789',
  end_time: '2026-01-02 03:04:06.000000000',
  duration_ms: 876.5,
  status: 'ok',
  status_message: '',
  error_type: '',
  service_name: 's',
  service_version: '1',
  environment: '',
  scope_name: '',
  scope_version: '',
  agent_name: '',
  operation: 'chat',
  model: 'gpt-4o',
  provider: 'openai',
  is_llm_call: true,
  input_tokens: 1,
  output_tokens: 2,
  cached_input_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0.5,
  cost_source: 'x',
  is_unpriced: false,
  tool_name: '',
  tool_call_id: '',
  tool_arguments: '',
  tool_result: '',
  input: '[{"role":"user"}]',
  output: '',
  session_id: '',
  user_id: '',
  attributes: { 'gen_ai.input.messages': `${MOVED_ATTRIBUTE_MARKER}input`, k: 'v' },
  resource_attributes: {},
  events: '[{"time":"t","name":"e","attributes":{}}]',
  links: '[]',
  flags: [],
  input_preview: '',
  output_preview: '',
  tool_args_key: '',
  reported_tool_errors: [],
}

const resolved = {
  agentName: '',
  sessionId: '',
  userId: '',
  isLlmCall: true,
  llmRole: 'call',
  toolRole: 'none',
  isDelegation: false,
  delegateTo: '',
  failed: false,
  failureInferred: false,
} as const

describe('spanRowToSpan', () => {
  it('gives back attributes stored as a reference to a content column', () => {
    const span = spanRowToSpan(row, resolved)
    expect(span.attributes).toEqual({ 'gen_ai.input.messages': '[{"role":"user"}]', k: 'v' })
  })

  it('keeps nanoseconds in ISO times and parses events', () => {
    const span = spanRowToSpan(row, resolved)
    expect(span.startTime).toBe('2026-01-02T03:04:05.123456789Z')
    expect(span.events).toEqual([{ time: 't', name: 'e', attributes: {} }])
  })
})
