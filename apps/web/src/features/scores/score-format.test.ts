import { describe, expect, it } from 'vitest'
import { briefText, briefTone, formatInterval, formatScoreValue, parseScoreFilterText } from './score-format'

describe('score formatting', () => {
  it('formats values, briefs and intervals', () => {
    expect([
      formatScoreValue(true),
      formatScoreValue(false),
      formatScoreValue(0.8333),
      formatScoreValue(4),
      formatScoreValue('rude'),
      formatScoreValue(null),
    ]).toEqual(['✓', '✗', '0.83', '4', 'rude', 'error'])
    expect(briefText({ name: 'user_feedback', count: 2, mean: 0.5, label: '', errors: 0, sources: ['sdk'] })).toBe(
      'user_feedback 0.50 (2)',
    )
    expect(briefText({ name: 'tone', count: 1, mean: null, label: 'rude', errors: 0, sources: ['human'] })).toBe(
      'tone rude',
    )
    expect(briefTone({ name: 'j', count: 1, mean: null, label: '', errors: 1, sources: ['evaluator'] })).toBe('error')
    expect(briefTone({ name: 'tone', count: 1, mean: null, label: 'rude', errors: 0, sources: ['human'] })).toBe('bad')
    expect(formatInterval({ estimate: 0.96, ciLow: 0.912, ciHigh: 0.994 })).toBe('0.96 (0.91–0.99)')
    expect(formatInterval({ estimate: 1, ciLow: null, ciHigh: null })).toBe('1.00 (n too small for an interval)')
  })

  it('accepts the filter the API accepts', () => {
    expect(parseScoreFilterText(' user_feedback=false ')).toBe('user_feedback=false')
    expect(parseScoreFilterText('judge:helpful>=0.8')).toBe('judge:helpful>=0.8')
    expect(parseScoreFilterText('')).toBe('')
    expect(parseScoreFilterText('bad name=1')).toBeNull()
  })
})
