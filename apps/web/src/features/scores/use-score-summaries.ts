/** Score summaries of the traces a list shows, fetched once per set of ids (the list's score column). */
import type { ScoreBrief } from '@sightline/schema'
import { useQuery } from '../../api/use-query'
import { scoresApi } from './scores-api'

export function useScoreSummaries(traceIds: readonly string[]): Record<string, ScoreBrief[]> {
  const ids = traceIds.slice(0, 500)
  const key = ids.length ? `scores:${ids.join(',')}` : null
  return useQuery(key, (signal) => scoresApi.summary(ids, signal)).data ?? {}
}
