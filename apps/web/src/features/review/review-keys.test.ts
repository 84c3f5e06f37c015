import { describe, expect, it } from 'vitest'
import { ScoreConfigSchema } from '@sightline/schema'
import { keyAction, nextPosition } from './review-keys'

const fields = [
  ScoreConfigSchema.parse({ name: 'correct', dataType: 'boolean' }),
  ScoreConfigSchema.parse({ name: 'quality', dataType: 'numeric', min: 1, max: 5 }),
]

describe('reviewer keyboard', () => {
  it('maps keys to actions on the active score', () => {
    expect(keyAction('y', fields, 0)).toEqual({ type: 'value', name: 'correct', value: true })
    expect(keyAction('4', fields, 1)).toEqual({ type: 'value', name: 'quality', value: 4 })
    expect(keyAction('4', fields, 0)).toBeNull()
    expect(keyAction('j', fields, 0)).toEqual({ type: 'item', delta: 1 })
    expect(keyAction('ArrowLeft', fields, 0)).toEqual({ type: 'item', delta: -1 })
    expect(keyAction('Enter', fields, 1)).toEqual({ type: 'submit' })
    expect(keyAction('r', fields, 1)).toEqual({ type: 'reference' })
    expect(keyAction('q', fields, 1)).toBeNull()
  })

  it('goes on to the next trace this reviewer has not reviewed', () => {
    expect(nextPosition([0, 1, 2, 3], new Set([0, 1]), 0)).toBe(2)
    expect(nextPosition([0, 1, 2, 3], new Set([2, 3]), 3)).toBe(0)
    expect(nextPosition([0, 1, 2], new Set([0, 1, 2]), 1)).toBe(2)
    expect(nextPosition([0, 1, 2], new Set([0, 1, 2]), 2)).toBeNull()
  })
})
