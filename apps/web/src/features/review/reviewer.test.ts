import { describe, expect, it } from 'vitest'
import { ScoreConfigSchema } from '@sightline/schema'
import { keyLegend, valueForKey } from './reviewer'

const bool = ScoreConfigSchema.parse({ name: 'correct', dataType: 'boolean' })
const rating = ScoreConfigSchema.parse({ name: 'quality', dataType: 'numeric', min: 1, max: 5 })
const tone = ScoreConfigSchema.parse({
  name: 'tone',
  dataType: 'categorical',
  categories: ['polite', 'neutral', 'rude'],
})

describe('reviewer keys', () => {
  it('maps keys to values per score config', () => {
    expect([valueForKey(bool, 'y'), valueForKey(bool, 'n'), valueForKey(bool, '1'), valueForKey(bool, 'x')]).toEqual([
      true,
      false,
      true,
      undefined,
    ])
    expect([valueForKey(rating, '4'), valueForKey(rating, '0'), valueForKey(rating, '7')]).toEqual([
      4,
      undefined,
      undefined,
    ])
    expect([valueForKey(tone, '3'), valueForKey(tone, '4')]).toEqual(['rude', undefined])
    expect([keyLegend(bool), keyLegend(rating), keyLegend(tone)]).toEqual([
      'y yes · n no',
      '1–5',
      '1 polite · 2 neutral · 3 rude',
    ])
  })
})
