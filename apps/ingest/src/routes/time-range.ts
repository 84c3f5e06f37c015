import { chTime } from '../db/sql.js'

/** Lists default to the last 7 days. */
export const DEFAULT_RANGE_MS = 7 * 24 * 3600 * 1000

/** ISO time → DateTime64 text in UTC (millisecond precision is plenty for a filter bound). */
export function isoToChTime(iso: string): string {
  return chTime(iso)
}
