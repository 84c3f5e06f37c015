import { describe, expect, it } from 'vitest'
import { NOT_JSON, parseJsonText } from './json-text.js'

describe('parseJsonText', () => {
  it('gives the value JSON text holds, and NOT_JSON for anything else', () => {
    expect(parseJsonText('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] })
    expect(parseJsonText(' null ')).toBeNull()
    expect(parseJsonText('"text"')).toBe('text')
    expect(parseJsonText('plain words')).toBe(NOT_JSON)
    expect(parseJsonText('')).toBe(NOT_JSON)
    expect(parseJsonText('   ')).toBe(NOT_JSON)
    // JSON allows only space, tab and line breaks around a value.
    expect(parseJsonText('\u00a0{}')).toBe(NOT_JSON)
  })

  it('answers the same text again from memory, and still parses new text after older ones are forgotten', () => {
    const text = JSON.stringify([{ role: 'user', content: 'hi' }])
    const first = parseJsonText(text)
    expect(parseJsonText(text)).toBe(first)
    for (let i = 0; i < 10; i++) expect(parseJsonText(`[${i}]`)).toEqual([i])
    expect(parseJsonText(text)).toEqual(first)
  })
})
