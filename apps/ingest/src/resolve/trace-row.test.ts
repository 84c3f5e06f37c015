import { describe, expect, it } from 'vitest'
import { encodeContent, newTraceRowLine } from './trace-row.js'

const content = {
  project_id: 'p',
  trace_id: 'abc',
  name: 'a "quoted" name\nwith a line break',
  tags: ['loop'],
  cost_usd: '0.000123',
  'contributions.dim_type': ['agent', 'model'],
  'contributions.cost_usd': ['0.1', '0.2'],
}

describe('a new state as one JSONEachRow line', () => {
  it('is the row object (content, then bookkeeping) serialised, byte for byte', () => {
    const encoded = encodeContent(content)
    const line = newTraceRowLine(encoded, 3, '2026-12-06 20:00:00.000', '2026-12-06 20:00:01.000')
    const row = {
      ...content,
      content_hash: encoded.hash,
      version: 3,
      sign: 1,
      resolved_at: '2026-12-06 20:00:01.000',
      last_ingested: '2026-12-06 20:00:00.000',
    }
    expect(line).toBe(JSON.stringify(row))
    expect(JSON.parse(line)).toEqual(row)
  })

  it('hashes the content alone: the same content gives the same hash whatever its version', () => {
    expect(encodeContent({ ...content }).hash).toBe(encodeContent(content).hash)
    expect(encodeContent({ ...content, name: 'other' }).hash).not.toBe(encodeContent(content).hash)
    expect(encodeContent(content).hash).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it('refuses content that already holds a bookkeeping key (the line would carry it twice)', () => {
    expect(() => newTraceRowLine(encodeContent({ ...content, version: 1 }), 2, 'x', 'y')).toThrow(/version/)
  })
})
