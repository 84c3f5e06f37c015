/**
 * The reviewer's keyboard, as a pure function of the key and the form: j / → next trace, k / ←
 * previous, ↓ / ↑ the score being set, the score's own keys (y/n, digits) to set it and move to the
 * next score, Enter to save and go on, c to write a comment, [ / ] to walk the trajectory (the
 * inspector follows), r to save the trace as a reference trajectory, x to export it as a
 * regression case. Tested in review-keys.test.ts.
 */
import type { ScoreConfig, ScoreValue } from '@sightline/schema'
import { valueForKey } from './reviewer'

export type KeyAction =
  | { type: 'item'; delta: 1 | -1 }
  | { type: 'field'; delta: 1 | -1 }
  | { type: 'value'; name: string; value: ScoreValue }
  | { type: 'submit' }
  | { type: 'comment' }
  | { type: 'step'; delta: 1 | -1 }
  | { type: 'reference' }
  | { type: 'export' }

export function keyAction(key: string, fields: readonly ScoreConfig[], activeField: number): KeyAction | null {
  switch (key) {
    case 'j':
    case 'ArrowRight':
      return { type: 'item', delta: 1 }
    case 'k':
    case 'ArrowLeft':
      return { type: 'item', delta: -1 }
    case 'ArrowDown':
      return { type: 'field', delta: 1 }
    case 'ArrowUp':
      return { type: 'field', delta: -1 }
    case 'Enter':
      return { type: 'submit' }
    case 'c':
      return { type: 'comment' }
    case ']':
      return { type: 'step', delta: 1 }
    case '[':
      return { type: 'step', delta: -1 }
    case 'r':
      return { type: 'reference' }
    case 'x':
      return { type: 'export' }
  }
  const field = fields[activeField]
  const value = field ? valueForKey(field, key) : undefined
  return field && value !== undefined ? { type: 'value', name: field.name, value } : null
}

/** Items to go to after saving: the next one this reviewer has not reviewed, else the next one, else none. */
export function nextPosition(
  positions: readonly number[],
  reviewedByMe: ReadonlySet<number>,
  current: number,
): number | null {
  const after = positions.filter((p) => p > current)
  return (
    after.find((p) => !reviewedByMe.has(p)) ??
    positions.find((p) => !reviewedByMe.has(p) && p !== current) ??
    after[0] ??
    null
  )
}
