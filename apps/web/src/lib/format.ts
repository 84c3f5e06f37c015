/** Display formatting for durations, money, token counts and times. Pure; tested in format.test.ts. */

/** 0.42 → "420µs", 12.3 → "12.3ms", 1500 → "1.50s", 95000 → "1m 35s", 7_200_000 → "2h 0m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms === 0) return '0ms'
  if (ms < 1) return `${Math.round(ms * 1000)}µs`
  if (ms < 10) return `${trim(ms.toFixed(2))}ms`
  if (ms < 1000) return `${trim(ms.toFixed(ms < 100 ? 1 : 0))}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ${Math.floor((ms % 60_000) / 1000)}s`
  return `${Math.floor(ms / 3_600_000)}h ${Math.floor((ms % 3_600_000) / 60_000)}m`
}

const trim = (text: string) => text.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1')

/** null → "—" (unpriced is not free); small amounts keep significant digits: 0.000123 → "$0.000123". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—'
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${Number(usd.toPrecision(3)).toString()}`
  if (usd < 100) return `$${usd.toFixed(usd < 1 ? 4 : 2)}`
  return `$${Math.round(usd).toLocaleString('en-US')}`
}

/** 950 → "950", 12_345 → "12.3k", 2_500_000 → "2.5M". */
export function formatTokens(count: number): string {
  if (!Number.isFinite(count)) return '—'
  if (count < 1000) return String(Math.round(count))
  if (count < 1_000_000) return `${trim((count / 1000).toFixed(count < 10_000 ? 2 : 1))}k`
  return `${trim((count / 1_000_000).toFixed(2))}M`
}

/** Local date-time with seconds, compact: "2026-01-02 14:03:05". */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:` +
    `${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  )
}

/** "3 min ago" style relative time from `now`. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000)
  if (!Number.isFinite(seconds)) return ''
  if (seconds < 60) return `${Math.max(seconds, 0)}s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  return `${Math.floor(seconds / 86_400)} d ago`
}

export const shortId = (id: string) => id.slice(0, 8)
