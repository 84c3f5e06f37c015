import { describe, expect, it } from 'vitest'
import { classifyStoreError } from './store-refusal.js'

/** What chDB throws: the text quotes the row it stopped at. */
const chdbError = (code: number, name: string) =>
  Object.assign(
    new Error(
      `Code: ${code}. DB::Exception: ... Row 1: parsed text: "SECRET PROMPT (NOT_A_CODE)" ... (version 26.7.2.1). ` +
        `(${name})`,
    ),
    { clickhouseCode: code },
  )

describe('classifyStoreError', () => {
  it('names a row refusal by its ClickHouse name and code, never by its text', () => {
    const refusal = classifyStoreError(chdbError(407, 'DECIMAL_OVERFLOW'))
    expect(refusal).toEqual({ kind: 'row', reason: 'DECIMAL_OVERFLOW (407)', name: 'DECIMAL_OVERFLOW' })
    expect(JSON.stringify(refusal)).not.toContain('SECRET')
  })

  it('reads the HTTP client error shape (numeric code string, parsed type)', () => {
    expect(
      classifyStoreError(Object.assign(new Error('x'), { code: '241', type: 'MEMORY_LIMIT_EXCEEDED' })),
    ).toMatchObject({ kind: 'transient', reason: 'MEMORY_LIMIT_EXCEEDED (241)' })
  })

  it('splits on too many partitions but never blames one row for it', () => {
    expect(classifyStoreError(chdbError(252, 'TOO_MANY_PARTS')).kind).toBe('range')
  })

  it('takes an unknown code name only from the anchored tail of the text', () => {
    expect(classifyStoreError(chdbError(999, 'SOMETHING_NEW'))).toEqual({
      kind: 'unknown',
      reason: 'SOMETHING_NEW (999)',
      name: 'SOMETHING_NEW',
    })
    const quoted = Object.assign(new Error('Row 1: "(LOOKS_LIKE_A_NAME)" and more text'), { clickhouseCode: 998 })
    expect(classifyStoreError(quoted)).toEqual({ kind: 'unknown', reason: 'UNKNOWN (998)', name: 'UNKNOWN' })
  })

  it('an error without a code is unknown', () => {
    expect(classifyStoreError(new Error('socket hang up'))).toEqual({
      kind: 'unknown',
      reason: 'UNKNOWN',
      name: 'UNKNOWN',
    })
    expect(classifyStoreError('boom')).toMatchObject({ kind: 'unknown' })
  })
})
