import { describe, expect, it } from 'vitest'
import { DEFAULT_DETECTOR_CONFIG as C } from '../../src/detect/config.js'
import { baselineOf } from '../../src/detect/robust.js'
import { judgeCusum, judgeHour, judgeWindow } from '../../src/detect/rules.js'

const history = baselineOf([1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.2, 0.8, 1.0])
const window = (metric: 'cost' | 'error_rate' | 'latency_p95', observed: number, extra = {}) => ({
  metric,
  observed,
  requests: 50,
  baseline: history,
  typicalRequests: 50,
  ...extra,
})

describe('fast-tier rules', () => {
  it('breaches on a high robust z with enough absolute excess', () => {
    expect(judgeWindow(window('cost', 3), C)).toMatchObject({ breach: true, clear: false })
  })

  it('does not breach on a z-only excursion below the minimum excess (observed < 2× typical)', () => {
    const tight = baselineOf([1, 1, 1, 1.01, 0.99])
    expect(judgeWindow({ ...window('cost', 1.8), baseline: tight }, C).breach).toBe(false)
  })

  it("takes a larger minimum excess when given one (a call's latency relative to its runs)", () => {
    const lat = baselineOf([100, 110, 90, 105, 95, 100, 120, 80, 100])
    expect(judgeWindow({ ...window('latency_p95', 400), baseline: lat }, C).breach).toBe(true)
    expect(judgeWindow({ ...window('latency_p95', 400), baseline: lat, minExcess: 500 }, C).breach).toBe(false)
  })

  it('does not breach below the absolute floor', () => {
    const tiny = baselineOf([0.01, 0.011, 0.009])
    expect(judgeWindow({ ...window('cost', 0.2), baseline: tiny }, C).breach).toBe(false)
  })

  it('needs typical volume, but can still clear an open episode', () => {
    expect(judgeWindow(window('cost', 3, { typicalRequests: 2 }), C)).toMatchObject({ breach: false, clear: false })
    expect(judgeWindow(window('cost', 1, { typicalRequests: 2 }), C)).toMatchObject({ breach: false, clear: true })
  })

  it('has a dead band between the clear and the open thresholds (hysteresis)', () => {
    expect(judgeWindow(window('cost', 1.5), C)).toMatchObject({ breach: false, clear: false })
  })

  it('error rate: binomial test against the pooled baseline rate, with a request floor', () => {
    const rates = baselineOf([0, 0.02, 0.04, 0, 0.02])
    const obs = {
      metric: 'error_rate' as const,
      requests: 25,
      baseline: rates,
      typicalRequests: 25,
      baselineRate: 0.02,
    }
    expect(judgeWindow({ ...obs, observed: 2 / 25 }, C).breach).toBe(false)
    expect(judgeWindow({ ...obs, observed: 8 / 25 }, C).breach).toBe(true)
    expect(judgeWindow({ ...obs, observed: 8 / 25, requests: 10 }, C).breach).toBe(false)
  })
})

describe('slow-tier rules', () => {
  it('hourly: ratio above 1.5 and a significant z', () => {
    const hours = baselineOf([10, 11, 9, 10])
    expect(judgeHour(18, hours, 0.25, C.hourly).breach).toBe(true)
    expect(judgeHour(14, hours, 0.25, C.hourly).breach).toBe(false)
    expect(judgeHour(11, hours, 0.25, C.hourly).clear).toBe(true)
  })

  it('CUSUM trips on a sustained shift that no single bucket shows', () => {
    let sum = 0
    let breached = -1
    for (let i = 0; i < 20 && breached < 0; i++) {
      const r = judgeCusum(sum, 1.35, history, C.fast.relativeScaleFloor, C.cusum)
      sum = r.sum
      if (r.verdict.breach) breached = i
      expect(judgeWindow(window('cost', 1.35), C).breach).toBe(false)
    }
    expect(breached).toBeGreaterThan(0)
  })
})
