import { describe, expect, it } from 'vitest'
import { agreementOf, cohensKappa } from './agreement.js'

describe('reviewer agreement', () => {
  it("computes Cohen's kappa as in the textbook example", () => {
    // 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 → po 0.7, pe 0.5, kappa 0.4.
    const pairs: Array<[string, string]> = [
      ...Array.from({ length: 20 }, (): [string, string] => ['y', 'y']),
      ...Array.from({ length: 5 }, (): [string, string] => ['y', 'n']),
      ...Array.from({ length: 10 }, (): [string, string] => ['n', 'y']),
      ...Array.from({ length: 15 }, (): [string, string] => ['n', 'n']),
    ]
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10)
    expect(
      cohensKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]),
    ).toBeNull()
  })

  it('reports agreement over items reviewed twice, ignoring single reviews', () => {
    const ratings = [
      { item: 't1', author: 'ana', value: true },
      { item: 't1', author: 'bo', value: true },
      { item: 't2', author: 'ana', value: false },
      { item: 't2', author: 'bo', value: true },
      { item: 't3', author: 'ana', value: false },
      { item: 't3', author: 'bo', value: false },
      { item: 't4', author: 'ana', value: true },
    ]
    const a = agreementOf('correct', 'boolean', ratings)
    expect(a).toMatchObject({ items: 3, pairs: 3, meanAbsDiff: null })
    expect(a.percentAgreement).toBeCloseTo(2 / 3)
    expect(a.kappa).toBeCloseTo(0.4)
  })

  it('uses the mean absolute difference for numeric scores', () => {
    const a = agreementOf('rating', 'numeric', [
      { item: 't1', author: 'a', value: 4 },
      { item: 't1', author: 'b', value: 2 },
      { item: 't2', author: 'a', value: 5 },
      { item: 't2', author: 'b', value: 5 },
    ])
    expect(a).toMatchObject({ items: 2, pairs: 2, percentAgreement: 0.5, kappa: null, meanAbsDiff: 1 })
  })
})
