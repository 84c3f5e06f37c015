import { describe, expect, it } from 'vitest'
import { parseMessages } from './messages'

describe('parseMessages', () => {
  it('reads OTel GenAI parts', () => {
    const text = JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', name: 'get_weather', id: 'c1', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: '{"tempC":18}' }] },
    ])
    expect(parseMessages(text, 'user')).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', name: 'get_weather', id: 'c1', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_result', id: 'c1', name: '', result: { tempC: 18 } }] },
    ])
  })

  it('reads OpenAI messages with tool_calls', () => {
    const text = JSON.stringify([
      { role: 'system', content: 'You are a weather agent.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{"city":"Paris"}' } }],
      },
    ])
    const [system, assistant] = parseMessages(text, 'user')
    expect(system).toEqual({ role: 'system', parts: [{ type: 'text', text: 'You are a weather agent.' }] })
    expect(assistant!.parts[0]).toEqual({ type: 'tool_call', name: 'w', id: 'c1', arguments: { city: 'Paris' } })
  })

  it('reads AI SDK prompts and tool call lists', () => {
    const prompt = JSON.stringify({
      system: 'S',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    })
    expect(parseMessages(prompt, 'user').map((m) => m.role)).toEqual(['system', 'user'])
    const calls = JSON.stringify([{ toolCallType: 'function', toolCallId: 'x', toolName: 'w', input: '{"a":1}' }])
    expect(parseMessages(calls, 'assistant')[0]!.parts[0]).toMatchObject({
      type: 'tool_call',
      name: 'w',
      arguments: { a: 1 },
    })
  })

  it('reads OpenInference messages rebuilt from flattened attributes', () => {
    const text = JSON.stringify([
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ tool_call: { function: { name: 'get_weather', arguments: '{"city":"Paris"}' } } }],
      },
    ])
    expect(parseMessages(text, 'assistant')[0]!.parts).toEqual([
      { type: 'tool_call', name: 'get_weather', id: '', arguments: { city: 'Paris' } },
    ])
  })

  it('keeps plain strings and unknown JSON', () => {
    expect(parseMessages('It is 18C.', 'assistant')).toEqual([
      { role: 'assistant', parts: [{ type: 'text', text: 'It is 18C.' }] },
    ])
    expect(parseMessages('{"foo":1}', 'user')[0]!.parts[0]).toEqual({ type: 'json', value: { foo: 1 } })
    expect(parseMessages('', 'user')).toEqual([])
    expect(parseMessages('{not json', 'user')[0]!.parts[0]).toEqual({ type: 'text', text: '{not json' })
  })
})
