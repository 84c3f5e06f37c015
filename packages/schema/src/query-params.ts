/** Query-string shapes the API shares: one spelling of a comma-separated list for every endpoint. */
import { z } from 'zod'

/** `a,b, c` → `['a', 'b', 'c']` (blanks dropped), each item checked by `item`, at most `max` items. */
export function csvOf<T extends z.ZodType<unknown, string>>(item: T, max: number) {
  return z.string().transform(splitCsv).pipe(z.array(item).max(max))
}

export function splitCsv(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0)
}
