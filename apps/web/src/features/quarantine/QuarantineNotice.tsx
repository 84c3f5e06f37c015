/**
 * A banner on the traces page and the dashboards when spans of this project were refused by the
 * store in the range shown: such spans are missing from every list and chart, so say so.
 */
import { useQuery } from '../../api/use-query'
import type { QuarantineRange } from './quarantine-api'
import { quarantineApi } from './quarantine-api'
import { quarantineLink, quarantineNoticeText } from './quarantine-view'

export function QuarantineNotice({ range }: { range: QuarantineRange }) {
  const summary = useQuery(`quarantine:${range.from ?? ''}|${range.to ?? ''}`, (signal) =>
    quarantineApi.get(range, signal),
  )
  // A failed check is not worth an error state on someone else's page; the details page shows errors.
  const text = summary.data ? quarantineNoticeText(summary.data) : undefined
  if (!text) return null
  return (
    <div className="notice" role="status" data-testid="quarantine-notice">
      {text} <a href={quarantineLink(range)}>Details</a>
    </div>
  )
}
