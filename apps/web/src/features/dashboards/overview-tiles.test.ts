import { describe, expect, it } from 'vitest'
import { formatDelta, formatPercent } from './overview-tiles'

describe('formatDelta', () => {
  it('gives relative changes, coloured by whether up is bad', () => {
    expect(formatDelta(12, 10, false, 'up-bad')).toEqual({ text: '+20%', tone: 'bad' })
    expect(formatDelta(5, 10, false, 'up-bad')).toEqual({ text: '−50%', tone: 'good' })
    expect(formatDelta(30, 10, false, 'neutral')).toEqual({ text: '+200%', tone: 'neutral' })
    expect(formatDelta(10.01, 10, false, 'up-bad')).toEqual({ text: '±0%', tone: 'neutral' })
  })

  it('gives rates in percentage points, "new" from zero, nothing without data', () => {
    expect(formatDelta(0.05, 0.02, true, 'up-bad')).toEqual({ text: '+3.0 pp', tone: 'bad' })
    expect(formatDelta(0.01, 0.02, true, 'up-bad')).toEqual({ text: '−1.0 pp', tone: 'good' })
    expect(formatDelta(3, 0, false, 'up-bad')).toEqual({ text: 'new', tone: 'neutral' })
    expect(formatDelta(null, 1, false, 'up-bad')).toBeNull()
    expect(formatDelta(0.1, null, true, 'up-bad')).toBeNull()
  })

  it('formats percentages compactly', () => {
    expect([formatPercent(0), formatPercent(0.0123), formatPercent(0.25), formatPercent(null)]).toEqual(['0%', '1.2%', '25%', '—'])
  })
})
