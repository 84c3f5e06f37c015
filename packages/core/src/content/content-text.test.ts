import { describe, expect, it } from 'vitest'
import { contentText, previewText } from './content-text.js'

describe('contentText', () => {
  it('reads OpenAI-style message lists by role', () => {
    const messages = JSON.stringify([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ])
    expect(contentText(messages, 'user')).toBe('Hi')
    expect(contentText(messages, 'assistant')).toBe('Hello!')
    expect(contentText('plain text')).toBe('plain text')
  })

  it('reads a Gemini request as its conversation and a response as its content (ADK)', () => {
    const request = {
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Plan a day trip.' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { tempC: 18 } } }] },
      ],
      config: { systemInstruction: 'You are an agent.' },
    }
    // The last user turn holds only a function response: the user's words are the turn before.
    expect(contentText(JSON.stringify(request), 'user')).toBe('Plan a day trip.')
    const response = {
      content: { role: 'model', parts: [{ text: 'Take AF1081.' }] },
      usageMetadata: { promptTokenCount: 1 },
    }
    expect(contentText(JSON.stringify(response), 'assistant')).toBe('Take AF1081.')
  })

  it('reads a LangGraph state of serialised LangChain messages', () => {
    const lc = (cls: string, content: string) => ({
      lc: 1,
      type: 'constructor',
      id: ['langchain_core', 'messages', cls],
      kwargs: { content },
    })
    const state = {
      messages: [
        lc('HumanMessage', 'Where is A-1001?'),
        lc('AIMessage', ''),
        lc('ToolMessage', '{"status":"shipped"}'),
        lc('AIMessage', 'It shipped.'),
      ],
    }
    expect(contentText(JSON.stringify(state), 'user')).toBe('Where is A-1001?')
    expect(previewText(JSON.stringify(state), 'assistant')).toBe('It shipped.')
  })
})
