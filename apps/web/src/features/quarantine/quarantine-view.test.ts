import { describe, expect, it } from 'vitest'
import { quarantineLink, quarantineNoticeText } from './quarantine-view'

describe('quarantine notice', () => {
  it('says nothing when nothing was quarantined', () => {
    expect(quarantineNoticeText({ total: 0, byReason: [] })).toBeUndefined()
  })

  it('counts spans and names the reasons', () => {
    expect(
      quarantineNoticeText({ total: 1, byReason: [{ reason: 'DECIMAL_OVERFLOW (407)', spans: 1, lastAt: '' }] }),
    ).toBe(
      '1 span of this project was refused by the store in this period and kept in quarantine (DECIMAL_OVERFLOW (407)).',
    )
    const reasons = ['A (1)', 'B (2)', 'C (3)', 'D (4)'].map((reason) => ({ reason, spans: 2, lastAt: '' }))
    expect(quarantineNoticeText({ total: 8, byReason: reasons })).toMatch(
      /^8 spans .* were refused .*\(A \(1\), B \(2\) and 2 more\)\.$/,
    )
  })

  it('links to the details for the same range', () => {
    expect(quarantineLink({})).toBe('/quarantine')
    expect(quarantineLink({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' })).toBe(
      '/quarantine?from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z',
    )
  })
})
