import { describe, expect, it } from 'vitest'
import { firstInt, firstString, toJsonText } from './attributes.js'
import { createTruncator, flattenAttributes } from './truncate.js'

describe('attribute helpers', () => {
  it('skips absent and empty values when looking up the first key', () => {
    expect(firstString({ a: '', b: 'x' }, ['a', 'b'])).toBe('x')
    expect(firstInt({ a: 'n/a', b: '7', c: 3 }, ['a', 'b', 'c'])).toBe(7)
  })

  it('produces JSON text from any value', () => {
    expect(toJsonText('{"a":1}')).toBe('{"a":1}')
    expect(toJsonText('plain')).toBe('"plain"')
    // JSON allows no other whitespace around a value: kept as it is, the stored text would not be JSON.
    expect(toJsonText('\u00a0{"a":1}')).toBe('"\u00a0{\\"a\\":1}"')
    expect(JSON.parse(toJsonText('\u00a0{"a":1}'))).toBe('\u00a0{"a":1}')
    expect(toJsonText(['a', 1])).toBe('["a",1]')
  })
})

describe('flattenAttributes', () => {
  it('keeps every attribute as text, nested values as JSON', () => {
    const truncator = createTruncator(1000)
    expect(
      flattenAttributes({ s: 'v', n: 1.5, b: true, arr: ['a', 'b'], obj: { k: { x: 1 } }, nil: null }, truncator),
    ).toEqual({
      s: 'v',
      n: '1.5',
      b: 'true',
      arr: '["a","b"]',
      obj: '{"k":{"x":1}}',
      nil: '',
    })
    expect(truncator.truncated).toBe(false)
  })

  it('truncates at the byte cap without splitting a multi-byte character', () => {
    const truncator = createTruncator(5)
    expect(truncator.cap('ab€cd')).toBe('ab€')
    expect(truncator.cap('abc€')).toBe('abc')
    expect(truncator.truncated).toBe(true)
  })
})
