/**
 * Who reviews, and what the keys mean. The console signs in with a project key, not as a person, so
 * reviewers name themselves once (kept in this browser) and their scores carry that name. Keys
 * per score config: boolean y / n (or 1 / 0); a numeric range of at most 10 integers its digits;
 * categories 1…n in their configured order.
 */
import type { ScoreConfig, ScoreValue } from '@sightline/schema'

const STORAGE_KEY = 'sightline.reviewer'

export const loadReviewer = (): string =>
  typeof localStorage === 'undefined' ? '' : (localStorage.getItem(STORAGE_KEY) ?? '')
export const saveReviewer = (name: string): void => localStorage.setItem(STORAGE_KEY, name)

/** The value a key gives a score, or undefined when the key means nothing for it. */
export function valueForKey(config: ScoreConfig, key: string): ScoreValue | undefined {
  if (config.dataType === 'boolean')
    return key === 'y' || key === '1' ? true : key === 'n' || key === '0' ? false : undefined
  if (!/^\d$/.test(key)) return undefined
  const digit = Number(key)
  if (config.dataType === 'categorical') return config.categories?.[digit - 1]
  const [min, max] = [config.min ?? 0, config.max ?? 9]
  return Number.isInteger(min) && Number.isInteger(max) && max - min <= 9 && digit >= min && digit <= max
    ? digit
    : undefined
}

/** The keys of a score, for the on-screen legend: "y yes · n no", "1–5", "1 polite · 2 rude". */
export function keyLegend(config: ScoreConfig): string {
  if (config.dataType === 'boolean') return 'y yes · n no'
  if (config.dataType === 'categorical') return (config.categories ?? []).map((c, i) => `${i + 1} ${c}`).join(' · ')
  const [min, max] = [config.min ?? 0, config.max ?? 9]
  return Number.isInteger(min) && Number.isInteger(max) && max - min <= 9 ? `${min}–${max}` : 'type a number'
}
