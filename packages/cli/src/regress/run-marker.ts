/**
 * The runner's traffic is a replay, not production: the agent process it starts gets
 * `sightline.regress.run_id` and `sightline.regress.case_id` added to `OTEL_RESOURCE_ATTRIBUTES`,
 * which every OTel SDK (and @sightline/sdk) puts on its resource. Ingest flags those spans
 * `regression_run`; their traces stay out of the rollups, the default trace list and production
 * anomaly detection, and are listed with `regression=true`.
 */
import { ATTR_SIGHTLINE_REGRESS_CASE_ID, ATTR_SIGHTLINE_REGRESS_RUN_ID } from '@sightline/schema/semconv'

export interface RunMark {
  /** One per agent process the runner marks (every attempt of a case runs in it). */
  runId: string
  caseId: string
}

const MARK_KEYS: readonly string[] = [ATTR_SIGHTLINE_REGRESS_RUN_ID, ATTR_SIGHTLINE_REGRESS_CASE_ID]

/** The mark as resource attributes. */
export function markAttributes(mark: RunMark): Record<string, string> {
  return { [ATTR_SIGHTLINE_REGRESS_RUN_ID]: mark.runId, [ATTR_SIGHTLINE_REGRESS_CASE_ID]: mark.caseId }
}

/**
 * `existing` (the caller's `OTEL_RESOURCE_ATTRIBUTES`, kept) plus the mark; an earlier mark is replaced.
 * Values are percent-encoded, as the variable's format asks.
 * @example markResourceAttributes('team=a', { runId: 'r1', caseId: 'rc-x' }) //
 * 'team=a,sightline.regress.run_id=r1,sightline.regress.case_id=rc-x'
 */
export function markResourceAttributes(existing: string | undefined, mark: RunMark): string {
  const kept = (existing ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !MARK_KEYS.includes(decodeKey(entry)))
  const added = Object.entries(markAttributes(mark)).map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
  return [...kept, ...added].join(',')
}

function decodeKey(entry: string): string {
  const key = entry.slice(0, Math.max(0, entry.indexOf('='))).trim()
  try {
    return decodeURIComponent(key)
  } catch {
    return key
  }
}
