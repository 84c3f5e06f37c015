/** How a score reads on screen: its value, its interval, its source. Pure; tested in score-format.test.ts. */
import type { ScoreBrief, ScoreSource } from '@sightline/schema'

export const SOURCE_LABELS: Record<ScoreSource, string> = {
  api: 'API',
  sdk: 'app',
  human: 'reviewer',
  evaluator: 'evaluator',
  ci: 'CI',
  otel: 'OTel',
}

/** true → "✓", false → "✗", 0.8333 → "0.83", "rude" → "rude", null → "error". */
export function formatScoreValue(value: number | boolean | string | null): string {
  if (value === null) return 'error'
  if (typeof value === 'boolean') return value ? '✓' : '✗'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2)
  return value
}

/** A list cell: "user_feedback 0.50 (2)", or the label; errors counted apart. */
export function briefText(b: ScoreBrief): string {
  const value = b.mean !== null ? b.mean.toFixed(2) : b.label || (b.errors ? 'error' : '—')
  return `${b.name} ${value}${b.count > 1 ? ` (${b.count})` : ''}`
}

/** Whether a brief reads as good or bad at a glance (boolean-like means and pass-ish labels). */
export function briefTone(b: ScoreBrief): 'good' | 'bad' | 'neutral' | 'error' {
  if (b.errors === b.count) return 'error'
  if (b.mean === null)
    return /^(pass|good|correct|helpful|relevant|yes)$/i.test(b.label)
      ? 'good'
      : /^(fail|bad|incorrect|unhelpful|rude|no)$/i.test(b.label)
        ? 'bad'
        : 'neutral'
  return b.mean >= 0.7 ? 'good' : b.mean < 0.5 ? 'bad' : 'neutral'
}

/** "0.96 (0.91–0.99)"; "—" when there is no estimate. */
export function formatInterval(
  i: { estimate: number | null; ciLow: number | null; ciHigh: number | null },
  digits = 2,
): string {
  if (i.estimate === null) return '—'
  const f = (v: number) => v.toFixed(digits)
  return i.ciLow === null || i.ciHigh === null
    ? `${f(i.estimate)} (n too small for an interval)`
    : `${f(i.estimate)} (${f(i.ciLow)}–${f(i.ciHigh)})`
}

/** The explorer's score filter from a typed text: `user_feedback=false`; invalid text gives null. */
export function parseScoreFilterText(text: string): string | null {
  const t = text.trim()
  if (t === '') return ''
  return /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}((>=|<=|!=|=|>|<).{1,200})?$/.test(t) ? t : null
}
