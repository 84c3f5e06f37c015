import { SPAN_INSERT_COLUMNS } from '@sightline/schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeSpanRow } from '../../test/factories/span-row.js'
import {
  encodeSpanLines,
  encodeSpanRows,
  headerBytes,
  lineFields,
  readSegment,
  SPAN_SEGMENT_HEADER,
  traceKeysOf,
} from './segment-format.js'
import { tsvField, tsvLine, tsvUnescape } from './tsv-row.js'

describe('span segment format', () => {
  it('names every column of a span row, once', () => {
    expect([...SPAN_INSERT_COLUMNS].sort()).toEqual(Object.keys(makeSpanRow()).sort())
  })

  /** The encoded segment is its lines' UTF-8 bytes back to back, each line ending where its bytes end. */
  const expectLinesOf = (outputs: string[]) => {
    const rows = outputs.map((output, i) => makeSpanRow({ span_id: `s${i}`, output }))
    const { data, lineEnds } = encodeSpanLines(rows)
    const lines = rows.map((row) => Buffer.from(tsvLine(row, SPAN_INSERT_COLUMNS)))
    expect(data.equals(Buffer.concat(lines))).toBe(true)
    let end = 0
    expect([...lineEnds]).toEqual(lines.map((line) => (end += line.length)))
  }

  it('ends each line where its UTF-8 bytes end, multi-byte text included', () => {
    expectLinesOf(['ascii', 'naïve — 東京 🚀', '', '\u{1F600}'.repeat(300)])
  })

  it('gives the bytes of the joined lines for any mix of one- and multi-byte text, in any order', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 400 }), { maxLength: 12 }), expectLinesOf))
  })

  it("writes a map shared by consecutive rows (a resource's attributes) the same as one of their own", () => {
    const shared = { 'service.name': 'a\tb', "it's": 'x' }
    const rows = [
      makeSpanRow({ span_id: 'a', resource_attributes: shared }),
      makeSpanRow({ span_id: 'b', resource_attributes: shared }),
      makeSpanRow({ span_id: 'c', resource_attributes: { other: 'y' } }),
      makeSpanRow({ span_id: 'd', resource_attributes: shared }),
    ]
    const lines = rows.map((row) => tsvLine(row, SPAN_INSERT_COLUMNS))
    expect(encodeSpanRows(rows).toString('utf8')).toBe(lines.join(''))
    expect(lines[3]).toContain("{'service.name':'a\\tb','it\\'s':'x'}")
  })

  it('writes one TabSeparated line per row, values in header order, text escaped', () => {
    const rows = [
      makeSpanRow({ span_id: 'a', input: 'line\nbreak\ttab \\ back "quoted" \r\0', flags: ["it's", 'a\tb'] }),
      makeSpanRow({ span_id: 'b', output: 'naïve — 東京 🚀', cost_usd: null, attributes: { "k'1": 'v\n1' } }),
    ]
    const data = Buffer.concat([SPAN_SEGMENT_HEADER, encodeSpanRows(rows)])
    const body = readSegment(data)
    expect(body.format).toBe('TabSeparated')
    if (body.format !== 'TabSeparated') return
    expect(body.columns).toEqual([...SPAN_INSERT_COLUMNS])
    expect(body.header).toEqual(SPAN_SEGMENT_HEADER)
    const lines = body.rows.toString('utf8').split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(2)
    const first = lines[0]!.split('\t')
    expect(first).toHaveLength(SPAN_INSERT_COLUMNS.length)
    expect(tsvUnescape(first[SPAN_INSERT_COLUMNS.indexOf('input')]!)).toBe(rows[0]!.input)
    expect(first[SPAN_INSERT_COLUMNS.indexOf('flags')]).toBe("['it\\'s','a\\tb']")
    const second = lines[1]!.split('\t')
    expect(second[SPAN_INSERT_COLUMNS.indexOf('cost_usd')]).toBe('\\N')
    expect(second[SPAN_INSERT_COLUMNS.indexOf('attributes')]).toBe("{'k\\'1':'v\\n1'}")
    expect(tsvUnescape(second[SPAN_INSERT_COLUMNS.indexOf('output')]!)).toBe('naïve — 東京 🚀')
    expect(lineFields(body, lines[1]!, ['span_id', 'output'])).toEqual({ span_id: 'b', output: 'naïve — 東京 🚀' })
  })

  it('writes booleans, numbers and nulls as the engine reads them', () => {
    expect([tsvField(true), tsvField(false), tsvField(12.5), tsvField(null), tsvField([])]).toEqual([
      'true',
      'false',
      '12.5',
      '\\N',
      '[]',
    ])
  })

  it('reads a segment of the previous format (JSONCompactEachRow under a JSON header)', () => {
    const row = makeSpanRow({ span_id: 'c' })
    const header = Buffer.from(`${JSON.stringify(SPAN_INSERT_COLUMNS)}\n`)
    const line = JSON.stringify(SPAN_INSERT_COLUMNS.map((c) => row[c]))
    const body = readSegment(Buffer.concat([header, Buffer.from(`${line}\n`)]))
    expect(body.format).toBe('JSONCompactEachRow')
    expect(body.header).toEqual(header)
    expect(lineFields(body, line, ['span_id'])).toEqual({ span_id: 'c' })
    expect(traceKeysOf(body)).toEqual(new Set([`${row.project_id}\u0000${row.trace_id}`]))
  })

  it('reads a segment from before headers as JSONEachRow, whole', () => {
    const legacy = Buffer.from(`${JSON.stringify(makeSpanRow())}\n`)
    expect(headerBytes(legacy)).toBe(0)
    expect(readSegment(legacy)).toEqual({ format: 'JSONEachRow', header: Buffer.alloc(0), rows: legacy })
  })

  it('reads the traces of a segment back from its lines', () => {
    const rows = [makeSpanRow({ trace_id: 'ab'.repeat(16) }), makeSpanRow({ trace_id: 'cd'.repeat(16), span_id: 'x' })]
    const body = readSegment(Buffer.concat([SPAN_SEGMENT_HEADER, encodeSpanRows(rows)]))
    expect(traceKeysOf(body)).toEqual(new Set(rows.map((r) => `${r.project_id}\u0000${r.trace_id}`)))
  })

  it('refuses a header that is not a list of column names, or names an unknown format', () => {
    expect(() => readSegment(Buffer.from('[1,2]\n["x"]\n'))).toThrow(/not a list of column names/)
    expect(() => readSegment(Buffer.from('#TabSeparated {}\nx\n'))).toThrow(/not a list of column names/)
    expect(() => readSegment(Buffer.from('#RowBinary ["a"]\nx\n'))).toThrow(/unknown format/)
  })
})
