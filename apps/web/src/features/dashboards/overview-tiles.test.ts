import { describe, expect, it } from 'vitest'
import type { OverviewTotals } from '@sightline/schema'
import { errorRateDetail, finishedTraces, formatDelta, formatPercent, TILES } from './overview-tiles'

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
    expect([formatPercent(0), formatPercent(0.0123), formatPercent(0.25), formatPercent(null)]).toEqual([
      '0%',
      '1.2%',
      '25%',
      '—',
    ])
  })
})

describe('error rate tile', () => {
  const totals = (errorRate: number | null, failedTraces: number): OverviewTotals => ({
    from: '',
    to: '',
    costUsd: 0,
    traces: 0,
    llmCalls: 0,
    toolCalls: 0,
    errorRate,
    recoveredRate: null,
    failedTraces,
    toolErrorRate: null,
    latencyMs: { p50: null, p95: null, p99: null },
    tokens: { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 },
    unpricedCalls: 0,
  })

  it('says what the rate divides: failed traces / finished traces, with both counts', () => {
    expect(finishedTraces(totals(11 / 1437, 11))).toBe(1437)
    expect(errorRateDetail(totals(11 / 1437, 11))).toBe('11 failed / 1,437 finished traces')
    expect(errorRateDetail(totals(null, 0))).toBe('no finished traces')
    expect(errorRateDetail(totals(0, 0))).toBe('0 failed traces / finished traces')
  })

  it('opens the failed traces (and the recovered rate the recovered ones)', () => {
    expect(TILES.find((t) => t.label === 'Error rate')?.outcomes).toEqual(['failed'])
    expect(TILES.find((t) => t.label === 'Recovered rate')?.outcomes).toEqual(['recovered'])
  })
})
