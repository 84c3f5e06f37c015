/**
 * The registry pages' state in the URL (a link reproduces the view): the range (`range=1h|24h|7d`,
 * or explicit `from`/`to`) and the page's own keys. Pure, so it is unit-tested.
 */
export const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const
type RangeKey = keyof typeof RANGES

export interface RegistryRange {
  key: RangeKey | 'custom'
  from: string
  to: string
}

/** Explicit from/to win; otherwise a preset ending now (rounded to the minute, so reloads share a key). */
export function rangeFromSearch(search: string, now = Date.now()): RegistryRange {
  const params = new URLSearchParams(search)
  const from = params.get('from')
  const to = params.get('to')
  if (
    from &&
    to &&
    !Number.isNaN(Date.parse(from)) &&
    !Number.isNaN(Date.parse(to)) &&
    Date.parse(from) < Date.parse(to)
  ) {
    return { key: 'custom', from: new Date(from).toISOString(), to: new Date(to).toISOString() }
  }
  const raw = params.get('range')
  const key: RangeKey = raw === '1h' || raw === '7d' ? raw : '24h'
  const end = Math.ceil(now / 60_000) * 60_000
  return { key, from: new Date(end - RANGES[key]).toISOString(), to: new Date(end).toISOString() }
}

/** `search` with `updates` applied (empty values removed). */
export function withParams(search: string, updates: Record<string, string | undefined>): string {
  const params = new URLSearchParams(search)
  for (const [key, value] of Object.entries(updates)) {
    if (value === undefined || value === '') params.delete(key)
    else params.set(key, value)
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}
