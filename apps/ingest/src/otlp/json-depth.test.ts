import { describe, expect, it } from 'vitest'
import { countJsonContainers, jsonDepthExceeds } from './json-depth.js'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('jsonDepthExceeds', () => {
  it('counts arrays and objects alike, up to the limit inclusive', () => {
    expect(jsonDepthExceeds(bytes('[{"a":[1]}]'), 3)).toBe(false)
    expect(jsonDepthExceeds(bytes('[{"a":[[1]]}]'), 3)).toBe(true)
  })

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(jsonDepthExceeds(bytes('["[[[[", "\\"[[[[", "\\\\", "{{{{"]'), 1)).toBe(false)
    expect(jsonDepthExceeds(bytes('["\\\\"]'), 1)).toBe(false)
    expect(jsonDepthExceeds(bytes('["\\\\", [[]]]'), 2)).toBe(true)
  })

  it('measures depth, not the number of containers', () => {
    expect(jsonDepthExceeds(bytes(`[${'[],'.repeat(100_000)}[]]`), 2)).toBe(false)
  })

  it('leaves unterminated strings to JSON.parse', () => {
    expect(jsonDepthExceeds(bytes('["abc'), 1)).toBe(false)
  })

  it('works on a Uint8Array view that is not a Buffer', () => {
    const view = new Uint8Array(bytes('xx[[[]]]').buffer, 2)
    expect(jsonDepthExceeds(view, 2)).toBe(true)
  })
})

describe('countJsonContainers', () => {
  it('counts arrays and objects outside strings, and stops just past the limit', () => {
    expect(countJsonContainers(bytes('{"a":[{},{"b":"{[{["}],"c":[]}'), 100)).toBe(5)
    expect(countJsonContainers(bytes(`[${'{},'.repeat(1000)}{}]`), 10)).toBe(11)
  })
})
