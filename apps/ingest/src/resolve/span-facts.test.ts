import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SpanRowRead } from '@sightline/schema'
import type { SkeletonColumns } from '../db/repositories/traces.js'
import { makeSpanRow } from '../../test/factories/span-row.js'
import { factsFromColumns, factsFromRow } from './span-facts.js'

/** Rows → the columns a skeleton read returns (the store's JSON: 64-bit integers as text). */
function columnsOf(rows: readonly SpanRowRead[]): SkeletonColumns {
  const columns: Record<string, unknown> = { count: rows.length }
  for (const key of Object.keys(rows[0]!)) columns[key] = rows.map((r) => r[key as keyof SpanRowRead])
  return columns as unknown as SkeletonColumns
}

const row = (overrides: Partial<SpanRowRead>): SpanRowRead =>
  ({
    ...makeSpanRow(),
    input_preview: '',
    output_preview: '',
    tool_args_key: '',
    reported_tool_errors: [],
    ...overrides,
  }) as SpanRowRead

describe('span facts', () => {
  it('are the same from columns as from rows, whatever the time text and number forms', () => {
    const rows = [
      row({ span_id: 'a', start_time: '2026-12-06 10:00:00', end_time: '2026-12-06 10:00:01.5', cost_usd: null }),
      row({
        span_id: 'b',
        parent_span_id: 'a',
        kind: 'llm',
        is_llm_call: true,
        start_time: '2026-12-06 10:00:00.123456789',
        end_time: '2026-12-06 10:59:59.999999999',
        input_tokens: '12' as unknown as number,
        cost_usd: '0.0000125' as unknown as number,
        flags: ['mcp:client'],
        reported_tool_errors: ['call_1'],
      }),
      row({ span_id: 'c', start_time: '1970-01-01 00:00:00.000000001', end_time: '2299-12-31 23:59:59', cost_usd: 0 }),
    ]
    expect(factsFromColumns(columnsOf(rows))).toEqual(rows.map(factsFromRow))
  })

  it('read the store’s time text as Date.parse does, keeping the sub-millisecond digits', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2299-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.stringMatching(/^\d{0,9}$/),
        (at, digits) => {
          const seconds = at.toISOString().slice(0, 19).replace('T', ' ')
          const text = digits === '' ? seconds : `${seconds}.${digits}`
          const expected =
            Date.parse(`${seconds.replace(' ', 'T')}Z`) + (digits === '' ? 0 : Number(`0.${digits}`) * 1000)
          expect(factsFromRow(row({ start_time: text, end_time: text })).startMs).toBe(expected)
        },
      ),
    )
  })
})
