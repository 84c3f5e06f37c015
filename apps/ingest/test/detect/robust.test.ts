import { describe, expect, it } from 'vitest'
import {
  baselineOf,
  binomialUpperTail,
  cusumStep,
  mad,
  median,
  quantileInclusive,
  robustScale,
  robustZ,
} from '../../src/detect/robust.js'

describe('robust statistics', () => {
  it('median and quantiles interpolate like quantileExactInclusive (R-7)', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(quantileInclusive([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12)
    expect(Number.isNaN(median([]))).toBe(true)
  })

  it('MAD ignores a single outlier, unlike the standard deviation', () => {
    expect(mad([1, 2, 3, 4, 100])).toBe(1)
    expect(baselineOf([10, 10, 10, 11, 9, 1000])).toEqual({ median: 10, mad: 0.5, points: 6 })
  })

  it('floors the scale so a flat or empty history does not make every blip infinite', () => {
    const flat = baselineOf([5, 5, 5, 5])
    expect(robustScale(flat, 0.05, 0.01)).toBeCloseTo(0.25, 12)
    expect(robustZ(6, flat, 0.05, 0.01)).toBeCloseTo(4, 12)
    const empty = baselineOf([0, 0, 0])
    expect(robustZ(1, empty, 0.05, 0.5)).toBe(2)
  })

  it('robust z uses 1.4826 × MAD as σ', () => {
    const b = baselineOf([8, 9, 10, 11, 12])
    expect(robustZ(10 + 5 * 1.4826, b, 0, 0)).toBeCloseTo(5, 9)
  })

  it('CUSUM accumulates excess over the slack and never goes below zero', () => {
    let s = 0
    for (const r of [2, 2, 2]) s = cusumStep(s, r, 0.5)
    expect(s).toBeCloseTo(4.5, 12)
    expect(cusumStep(1, -5, 0.5)).toBe(0)
  })

  it('binomial upper tail matches hand-computed values', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1)
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0)
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 12)
    expect(binomialUpperTail(1, 3, 0.5)).toBeCloseTo(7 / 8, 12)
    // 6 errors out of 25 at a 2 % base rate is a ~4.3σ event.
    expect(binomialUpperTail(6, 25, 0.02)).toBeLessThan(1e-5)
  })
})
