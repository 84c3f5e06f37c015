/** Loads several series requests as one query (one loading / error state per chart). */
import type { SeriesResponse } from '@sightline/schema'
import { useQuery, type QueryState } from '../../api/use-query'
import { analyticsApi, type SeriesParams } from './dashboard-api'

export function useSeries(params: readonly SeriesParams[], refresh: number): QueryState<SeriesResponse[]> {
  const key = `${JSON.stringify(params)}#${refresh}`
  return useQuery(key, (signal) => Promise.all(params.map((p) => analyticsApi.series(p, signal))))
}
