import { describe, expect, it } from 'vitest'
import { extractInput, extractOutput } from './messages.js'

const MESSAGES = [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]

describe('input / output', () => {
  it('accepts gen_ai messages as a JSON string or structured value', () => {
    const text = JSON.stringify(MESSAGES)
    expect(extractInput({ 'gen_ai.input.messages': text })).toBe(text)
    expect(extractInput({ 'gen_ai.input.messages': MESSAGES })).toBe(text)
    expect(extractOutput({ 'gen_ai.output.messages': MESSAGES })).toBe(text)
  })

  it('rebuilds deprecated flattened gen_ai.prompt.N / gen_ai.completion.N keys in index order', () => {
    const attrs = {
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'hi',
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'be brief',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'hello',
    }
    expect(JSON.parse(extractInput(attrs))).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ])
    expect(JSON.parse(extractOutput(attrs))).toEqual([{ role: 'assistant', content: 'hello' }])
  })

  it('rebuilds OpenInference llm.input_messages with nested tool calls', () => {
    const attrs = {
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'weather?',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'input.value': 'ignored: messages win',
    }
    expect(JSON.parse(extractInput(attrs))).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', tool_calls: [{ tool_call: { function: { name: 'get_weather' } } }] },
    ])
  })

  it('falls back to input.value / output.value, Traceloop entity and AI SDK keys', () => {
    expect(extractInput({ 'input.value': '{"a":1}' })).toBe('{"a":1}')
    expect(extractOutput({ 'output.value': '__end__' })).toBe('"__end__"')
    expect(extractInput({ 'traceloop.entity.input': '{"args":[]}' })).toBe('{"args":[]}')
    expect(extractInput({ 'ai.prompt': '{"prompt":"Say hello"}' })).toBe('{"prompt":"Say hello"}')
    expect(extractInput({ 'ai.prompt.messages': '[]', 'ai.prompt': '{}' })).toBe('[]')
    expect(extractOutput({ 'ai.response.text': 'Hello world' })).toBe('"Hello world"')
    expect(extractOutput({ 'ai.response.toolCalls': '[{"toolCallId":"c1"}]' })).toBe('[{"toolCallId":"c1"}]')
  })

  it('prefers Langfuse observation input over everything else', () => {
    expect(extractInput({ 'langfuse.observation.input': { q: 1 }, 'gen_ai.input.messages': '[]' })).toBe('{"q":1}')
  })

  it('is empty when nothing was recorded', () => {
    expect(extractInput({ 'gen_ai.prompt.tokens_note': 'x' })).toBe('')
    expect(extractOutput({})).toBe('')
  })
})
