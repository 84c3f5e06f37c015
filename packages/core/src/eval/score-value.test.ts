import { describe, expect, it } from 'vitest'
import { ScoreConfigSchema } from '@sightline/schema'
import { checkScoreValue, fromStoredValue, isSampled, passes, toStoredValue } from '../index.js'

const rating = ScoreConfigSchema.parse({ name: 'rating', dataType: 'numeric', min: 1, max: 5, passThreshold: 4 })
const tone = ScoreConfigSchema.parse({
  name: 'tone',
  dataType: 'categorical',
  categories: ['polite', 'neutral', 'rude'],
  passValues: ['polite', 'neutral'],
})

describe('score values', () => {
  it('checks type, range and categories against the config', () => {
    expect(checkScoreValue(4, undefined, rating)).toBeNull()
    expect(checkScoreValue(7, undefined, rating)).toBe("value 7 is out of range 1–5 for score config 'rating'")
    expect(checkScoreValue(true, undefined, rating)).toBe(
      "score config 'rating' takes numeric values, not boolean (true)",
    )
    expect(checkScoreValue('rude', undefined, tone)).toBeNull()
    expect(checkScoreValue('angry', undefined, tone)).toMatch(/not a category/)
    expect(checkScoreValue(1, 'boolean', undefined)).toMatch(/dataType is boolean/)
    expect(checkScoreValue('x', undefined, undefined)).toBeNull()
  })

  it('round-trips through storage and decides passes', () => {
    expect(toStoredValue(true)).toEqual({ dataType: 'boolean', value: 1, label: 'true' })
    expect(fromStoredValue('boolean', 0, 'false', '')).toBe(false)
    expect(fromStoredValue('categorical', Number.NaN, 'rude', '')).toBe('rude')
    expect(fromStoredValue('numeric', 0.5, '', 'judge timed out')).toBeNull()
    expect(passes('numeric', 4, '', rating)).toBe(true)
    expect(passes('numeric', 3, '', rating)).toBe(false)
    expect(passes('numeric', 3, '', undefined)).toBeNull()
    expect(passes('categorical', Number.NaN, 'rude', tone)).toBe(false)
    expect(passes('boolean', 1, 'true', undefined)).toBe(true)
  })

  it('samples the same traces every time, at about the rate', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => i.toString(16).padStart(32, '0'))
    const picked = ids.filter((id) => isSampled('judge', id, 0.25))
    expect(picked.length / ids.length).toBeGreaterThan(0.22)
    expect(picked.length / ids.length).toBeLessThan(0.28)
    expect(ids.filter((id) => isSampled('judge', id, 0.25))).toEqual(picked)
    expect(ids.filter((id) => isSampled('other', id, 0.25))).not.toEqual(picked)
  })
})
