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

describe('previewText reads only the prefix it needs', () => {
  // The whole-text definition the preview must keep: whitespace runs as one space, trimmed, cut with an ellipsis.
  const naive = (text: string, max: number) => {
    const line = text.replace(/\s+/g, ' ').trim()
    return line.length <= max ? line : `${line.slice(0, max - 1)}…`
  }

  it('equals the whole-text definition for every text of up to 8 characters over letters and whitespace', () => {
    // Prefixes of 2·max + 2 characters, doubled: lengths up to 8 take both the prefix and the doubling path.
    const alphabet = ['a', ' ', '\n', '\u00a0']
    let texts = ['']
    let checked = 0
    for (let length = 1; length <= 8; length++) {
      texts = texts.flatMap((text) => alphabet.map((c) => text + c))
      for (const text of texts)
        for (const max of [1, 2]) {
          // Not JSON, so contentText gives the text back as it is.
          if (previewText(text, undefined, max) !== naive(text, max)) {
            expect({ text, max, preview: previewText(text, undefined, max) }).toEqual({
              text,
              max,
              preview: naive(text, max),
            })
          }
          checked++
        }
    }
    expect(checked).toBeGreaterThan(170_000)
  })

  it('treats exactly what \\s matches as whitespace, for every UTF-16 code unit', () => {
    const differing: number[] = []
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}${String.fromCharCode(code)}b`
      if (previewText(text, undefined, 10) !== naive(text, 10)) differing.push(code)
    }
    expect(differing).toEqual([])
  })

  it('cuts a long output at 240 characters', () => {
    const long = `  ${'word \n\t '.repeat(5_000)}end`
    expect(previewText(long)).toBe(naive(long, 240))
    expect(previewText(long)).toHaveLength(240)
  })
})
