import { describe, expect, it } from 'vitest'
import { toJsonLines } from './jsonl.js'

describe('toJsonLines', () => {
  it('writes one JSON document per line, each ending in a newline', () => {
    const rows = [{ a: 1, s: 'x\ny' }, { a: 2, s: 'naïve — 東京 🚀' }]
    const text = toJsonLines(rows).toString('utf8')
    expect(text.endsWith('\n')).toBe(true)
    expect(text.split('\n').slice(0, -1).map((line) => JSON.parse(line))).toEqual(rows)
  })

  it('is empty for no rows', () => {
    expect(toJsonLines([]).length).toBe(0)
  })
})
