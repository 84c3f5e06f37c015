/** Words and links of the quarantine notice, kept out of the component so they can be tested. */
import type { GetQuarantineResponse } from '@sightline/schema'
import type { QuarantineRange } from './quarantine-api'

/** The notice's sentence, or undefined when nothing was quarantined in the range. */
export function quarantineNoticeText(summary: Pick<GetQuarantineResponse, 'total' | 'byReason'>): string | undefined {
  if (summary.total === 0) return undefined
  const reasons = summary.byReason.map((r) => r.reason)
  const shown = reasons.slice(0, 2).join(', ') + (reasons.length > 2 ? ` and ${reasons.length - 2} more` : '')
  const spans = summary.total === 1 ? '1 span' : `${summary.total} spans`
  return (
    `${spans} of this project ${summary.total === 1 ? 'was' : 'were'} refused by the store in this period and ` +
    `kept in quarantine (${shown}).`
  )
}

export function quarantineLink(range: QuarantineRange): string {
  const params = new URLSearchParams()
  if (range.from) params.set('from', range.from)
  if (range.to) params.set('to', range.to)
  const query = params.toString()
  return query ? `/quarantine?${query}` : '/quarantine'
}
