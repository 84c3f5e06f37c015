import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nanosToDateTime64, nanosToIso, parseNanos, spanTiming, validateSpanIds } from './ids-and-time.js'
import { makeSpan } from '../../../test/factories/decoded-span.js'

describe('validateSpanIds', () => {
  it.each([
    [{ traceId: 'abc' }, 'trace id is not 32 hex characters'],
    [{ traceId: '0'.repeat(32) }, 'trace id is all zeros'],
    [{ traceId: 'g'.repeat(32) }, 'trace id is not 32 hex characters'],
    [{ spanId: '' }, 'span id is not 16 hex characters'],
    [{ spanId: '0'.repeat(16) }, 'span id is all zeros'],
    [{ parentSpanId: '123' }, 'parent span id is neither empty nor 16 hex characters'],
  ])('rejects %o', (override, reason) => {
    expect(validateSpanIds(makeSpan(override))).toEqual({ ok: false, reason })
  })

  it('treats an all-zero parent as a root and lower-cases ids', () => {
    const ids = validateSpanIds(
      makeSpan({
        traceId: '5B8EFFF798038103D269B633813FC60C',
        spanId: 'EEE19B7EC3C1B174',
        parentSpanId: '0'.repeat(16),
      }),
    )
    expect(ids).toEqual({
      ok: true,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
    })
  })
})

describe('time conversion', () => {
  it('keeps all nine nanosecond digits (beyond float precision)', () => {
    expect(nanosToDateTime64(parseNanos('1700000000123456789')!)).toBe('2023-11-14 22:13:20.123456789')
    expect(nanosToIso(parseNanos('1700000000000000001')!)).toBe('2023-11-14T22:13:20.000000001Z')
    expect(nanosToIso(parseNanos('0000000000000000001')!)).toBe('1970-01-01T00:00:00.000000001Z')
    expect(nanosToIso(parseNanos('5')!)).toBe('1970-01-01T00:00:00.000000005Z')
  })

  it('agrees with BigInt arithmetic on every time and duration (any 1–20 digit pair)', () => {
    // The definition the split-at-nine-digits code must match: BigInt nanoseconds, divided and printed.
    const reference = (text: string) => {
      const nanos = BigInt(text)
      const iso = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString().slice(0, 19)
      return { nanos, text: `${iso.replace('T', ' ')}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}` }
    }
    const epochNanos = fc.oneof(
      fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 1_600_000_000_000_000_000n, max: 1_900_000_000_000_000_000n }),
      fc.bigInt({ min: 1n, max: 10n ** 12n }),
    )
    const asText = (n: bigint, pad: number) => n.toString().padStart(Math.min(20, n.toString().length + pad), '0')
    fc.assert(
      fc.property(epochNanos, epochNanos, fc.nat(3), fc.bigInt({ min: 0n, max: 10n ** 16n }), (a, b, pad, near) => {
        for (const [start, end] of [
          [a, b],
          [a, a + near],
        ] as const) {
          const startText = asText(start, pad)
          const endText = end.toString()
          if (endText.length > 20) continue
          const timing = spanTiming(startText, endText)!
          const s = reference(startText)
          const e = reference(endText)
          expect(timing.startTime).toBe(s.text)
          expect(timing.endTime).toBe(e.text)
          expect(timing.durationMs).toBe(e.nanos > s.nanos ? Number(e.nanos - s.nanos) / 1e6 : 0)
          expect(timing.flags).toEqual(e.nanos < s.nanos ? ['end_before_start'] : [])
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('computes duration in milliseconds', () => {
    expect(spanTiming('1700000000000000000', '1700000000001500000')).toMatchObject({ durationMs: 1.5, flags: [] })
  })

  it('flags a missing end and uses the start', () => {
    const timing = spanTiming('1700000000000000000', '0')
    expect(timing?.flags).toEqual(['no_end_time'])
    expect(timing?.endTime).toBe(timing?.startTime)
    expect(timing?.durationMs).toBe(0)
  })

  it('keeps end < start with duration 0 and a flag', () => {
    const timing = spanTiming('1700000002000000000', '1700000001000000000')
    expect(timing).toMatchObject({
      durationMs: 0,
      flags: ['end_before_start'],
      endTime: '2023-11-14 22:13:21.000000000',
    })
  })

  it.each(['0', '', 'abc'])('has no timing without a start (%j)', (start) => {
    expect(spanTiming(start, '1700000001000000000')).toBeUndefined()
  })
})
