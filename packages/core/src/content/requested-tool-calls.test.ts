import { describe, expect, it } from 'vitest'
import { requestedToolCalls } from './requested-tool-calls.js'

describe('requestedToolCalls', () => {
  it.each<[string, unknown, Array<{ id: string; name: string; arguments: string }>]>([
    [
      'OpenAI chat message',
      [
        {
          role: 'assistant',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":"A"}' } }],
        },
      ],
      [{ id: 'call_1', name: 'lookup', arguments: '{"id":"A"}' }],
    ],
    [
      'OpenInference output messages (each call wrapped as tool_call, no id)',
      [
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { tool_call: { function: { name: 'lookup', arguments: '{"id":"A"}' } } },
            { tool_call: { function: { name: 'ship', arguments: '{}' } } },
          ],
        },
      ],
      [
        { id: '', name: 'lookup', arguments: '{"id":"A"}' },
        { id: '', name: 'ship', arguments: '{}' },
      ],
    ],
    [
      'Gemini response (ADK llm_response)',
      {
        content: { role: 'model', parts: [{ functionCall: { name: 'lookup_flight', args: { from: 'LHR' } } }] },
        usageMetadata: {},
      },
      [{ id: '', name: 'lookup_flight', arguments: '{"from":"LHR"}' }],
    ],
    [
      'OpenAI Responses output (call_id is the id tools see)',
      {
        output: [
          {
            type: 'function_call',
            id: 'fc_1',
            call_id: 'call_9',
            name: 'get_invoice',
            arguments: '{"invoice_id":"INV-1"}',
          },
        ],
      },
      [{ id: 'call_9', name: 'get_invoice', arguments: '{"invoice_id":"INV-1"}' }],
    ],
    [
      'OTel GenAI parts and Anthropic tool_use',
      [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'a', arguments: { x: 1 } }] },
        { type: 'tool_use', id: 'tu_1', name: 'b', input: { y: 2 } },
      ],
      [
        { id: 'c1', name: 'a', arguments: '{"x":1}' },
        { id: 'tu_1', name: 'b', arguments: '{"y":2}' },
      ],
    ],
    [
      'AI SDK tool calls',
      [{ toolCallId: 't1', toolName: 'weather', input: '{"city":"Lisbon"}' }],
      [{ id: 't1', name: 'weather', arguments: '{"city":"Lisbon"}' }],
    ],
    ['tool definitions are not calls', [{ type: 'function', function: { name: 'lookup', parameters: {} } }], []],
    ['plain text', 'It shipped.', []],
  ])('%s', (_label, output, want) => {
    expect(requestedToolCalls(typeof output === 'string' ? output : JSON.stringify(output))).toEqual(want)
  })
})
