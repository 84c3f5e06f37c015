import { describe, expect, it } from 'vitest'
import { costToUnits, splitCost, splitInteger, sumDecimals } from './split.js'

describe('split', () => {
  it('splits integers proportionally with an exact total', () => {
    expect(splitInteger(10, [1, 1, 1])).toEqual([4, 3, 3])
    expect(splitInteger(122612, [5, 17, 300, 9]).reduce((a, b) => a + b, 0)).toBe(122612)
    expect(splitInteger(7, [0, 0])).toEqual([4, 3])
    expect(splitInteger(5, [])).toEqual([])
  })

  it('splits costs into <= 10-decimal strings that sum to the total exactly', () => {
    const parts = splitCost(1.26719, [3, 7, 11, 13])
    for (const part of parts) expect(part).toMatch(/^\d+(\.\d{1,10})?$/)
    expect(sumDecimals(parts)).toBe('1.26719')
    expect(parts.reduce((n, p) => n + costToUnits(Number(p)), 0n)).toBe(costToUnits(1.26719))
    expect(splitCost(0, [1, 2])).toEqual(['0', '0'])
  })
})
