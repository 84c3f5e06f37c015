import { SPAN_INSERT_COLUMNS } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { makeSpanRow } from '../../test/factories/span-row.js'
import { encodeSpanRows, headerBytes, readSegment, SPAN_SEGMENT_HEADER } from './segment-format.js'

describe('span segment format', () => {
  it('names every column of a span row, once', () => {
    expect([...SPAN_INSERT_COLUMNS].sort()).toEqual(Object.keys(makeSpanRow()).sort())
  })

  it('writes one compact line per row, values in header order, text intact', () => {
    const rows = [
      makeSpanRow({ span_id: 'a', input: 'line\nbreak "quoted"' }),
      makeSpanRow({ span_id: 'b', output: 'naïve — 東京 🚀', cost_usd: null }),
    ]
    const data = Buffer.concat([SPAN_SEGMENT_HEADER, encodeSpanRows(rows)])
    const body = readSegment(data)
    expect(body.format).toBe('JSONCompactEachRow')
    if (body.format !== 'JSONCompactEachRow') return
    expect(body.columns).toEqual([...SPAN_INSERT_COLUMNS])
    const lines = body.rows.toString('utf8').split('\n')
    expect(lines.pop()).toBe('')
    const decoded = lines.map((line) =>
      Object.fromEntries(body.columns.map((c, i) => [c, (JSON.parse(line) as unknown[])[i]])),
    )
    expect(decoded).toEqual(rows)
  })

  it('reads a segment from before headers as JSONEachRow, whole', () => {
    const legacy = Buffer.from(`${JSON.stringify(makeSpanRow())}\n`)
    expect(headerBytes(legacy)).toBe(0)
    expect(readSegment(legacy)).toEqual({ format: 'JSONEachRow', rows: legacy })
  })

  it('refuses a header that is not a list of column names', () => {
    expect(() => readSegment(Buffer.from('[1,2]\n["x"]\n'))).toThrow(/not a list of column names/)
  })
})
