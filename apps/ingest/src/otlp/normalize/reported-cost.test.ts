import { describe, expect, it } from 'vitest'
import { extractReportedCost, toDecimal } from './reported-cost.js'

describe('extractReportedCost', () => {
  it('reads the Langfuse cost_details total', () => {
    expect(
      extractReportedCost(
        { 'langfuse.observation.cost_details': '{"input":0.001,"output":0.002,"total":0.003}' },
        true,
      ),
    ).toEqual({
      costUsd: '0.003',
      costSource: 'reported',
      isUnpriced: false,
    })
  })

  it('sums Langfuse parts when total is missing', () => {
    expect(
      extractReportedCost({ 'langfuse.observation.cost_details': { input: 0.25, output: 0.5 } }, true).costUsd,
    ).toBe('0.75')
  })

  it('reads OpenInference llm.cost.total', () => {
    expect(extractReportedCost({ 'llm.cost.total': 0.0000001 }, true).costUsd).toBe('0.0000001')
  })

  it('leaves aggregates and unreported spans to the pricing step', () => {
    const unpriced = { costUsd: null, costSource: '', isUnpriced: false }
    expect(extractReportedCost({ 'llm.cost.total': 1 }, false)).toEqual(unpriced)
    expect(extractReportedCost({}, true)).toEqual(unpriced)
  })

  it('keeps the cost of a call with unknown usage unknown (null, unpriced), unless the cost is reported', () => {
    expect(extractReportedCost({ 'sightline.usage.unknown': true }, true)).toEqual({
      costUsd: null,
      costSource: 'reported',
      isUnpriced: true,
    })
    expect(extractReportedCost({ 'sightline.usage.unknown': true, 'llm.cost.total': '0.5' }, true)).toEqual({
      costUsd: '0.5',
      costSource: 'reported',
      isUnpriced: false,
    })
    expect(extractReportedCost({ 'sightline.usage.unknown': true }, false)).toEqual({
      costUsd: null,
      costSource: '',
      isUnpriced: false,
    })
    expect(extractReportedCost({ 'sightline.usage.unknown': 'yes' }, true)).toEqual({
      costUsd: null,
      costSource: '',
      isUnpriced: false,
    })
  })

  it('writes decimals without exponents and rejects junk', () => {
    expect(toDecimal(1e-7)).toBe('0.0000001')
    expect(toDecimal(2)).toBe('2')
    expect(toDecimal('0.50')).toBe('0.50')
    expect(toDecimal('abc')).toBeUndefined()
    expect(toDecimal(-1)).toBeUndefined()
  })
})
