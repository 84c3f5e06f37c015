import { describe, expect, it } from 'vitest'
import { formatCost, formatDuration, formatRelative, formatTokens } from './format'

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.42, '420µs'],
    [1.5, '1.5ms'],
    [12.34, '12.3ms'],
    [250, '250ms'],
    [1500, '1.50s'],
    [12_345, '12.3s'],
    [95_000, '1m 35s'],
    [7_200_000, '2h 0m'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})

describe('formatCost', () => {
  it.each([
    [null, '—'],
    [0, '$0'],
    [0.000123456, '$0.000123'],
    [0.0042, '$0.0042'],
    [0.5, '$0.5000'],
    [12.345, '$12.35'],
    [1234.5, '$1,235'],
  ])('%s → %s', (usd, text) => expect(formatCost(usd)).toBe(text))
})

describe('formatTokens', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1234, '1.23k'],
    [12_345, '12.3k'],
    [2_500_000, '2.5M'],
  ])('%s → %s', (n, text) => expect(formatTokens(n)).toBe(text))
})

describe('formatRelative', () => {
  it('counts back from now', () => {
    const now = Date.parse('2026-01-01T12:00:00Z')
    expect(formatRelative('2026-01-01T11:59:30Z', now)).toBe('30s ago')
    expect(formatRelative('2026-01-01T11:00:00Z', now)).toBe('1 h ago')
  })
})
