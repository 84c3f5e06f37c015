/** Scores, score configs and score analytics through the console's one HTTP seam. */
import {
  CompareReleaseScoresResponseSchema,
  ListScoreConfigsResponseSchema,
  ListScoresResponseSchema,
  PutScoreConfigResponseSchema,
  ReleaseScoresResponseSchema,
  ScoreSeriesResponseSchema,
  ScoreSummaryResponseSchema,
  type CompareReleaseScoresResponse,
  type ReleaseScoresResponse,
  type Score,
  type ScoreBrief,
  type ScoreConfig,
  type ScoreConfigInput,
  type ScoreDimension,
  type ScoreMetric,
  type ScoreSeriesResponse,
} from '@sightline/schema'
import { request, toQuery } from '../../api/client'

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

export const scoresApi = {
  list: async (
    params: { traceId?: string; spanId?: string; sessionId?: string; name?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<Score[]> =>
    (
      await request(
        'load scores',
        `/api/v1/scores${toQuery({ ...params, limit: params.limit === undefined ? undefined : String(params.limit) })}`,
        ListScoresResponseSchema,
        { signal },
      )
    ).scores,
  summary: async (traceIds: readonly string[], signal?: AbortSignal): Promise<Record<string, ScoreBrief[]>> =>
    traceIds.length === 0
      ? {}
      : (
          await request(
            'load score summaries',
            `/api/v1/scores/summary?traceIds=${traceIds.join(',')}`,
            ScoreSummaryResponseSchema,
            { signal },
          )
        ).traces,
  configs: async (signal?: AbortSignal): Promise<ScoreConfig[]> =>
    (await request('load score configs', '/api/v1/score-configs', ListScoreConfigsResponseSchema, { signal })).configs,
  putConfig: async (config: ScoreConfigInput): Promise<void> => {
    await request(
      `save score config ${config.name}`,
      `/api/v1/score-configs/${encodeURIComponent(config.name)}`,
      PutScoreConfigResponseSchema,
      json('PUT', config),
    )
  },
  deleteConfig: async (name: string): Promise<void> => {
    await request(`delete score config ${name}`, `/api/v1/score-configs/${encodeURIComponent(name)}`, null, {
      method: 'DELETE',
    })
  },
  series: (
    p: {
      name: string
      metric: ScoreMetric
      dimension: ScoreDimension
      from: string
      to: string
      step: '5m' | '1h' | '1d'
    },
    signal?: AbortSignal,
  ): Promise<ScoreSeriesResponse> =>
    request(
      `load the ${p.name} series`,
      `/api/v1/analytics/scores/series${toQuery({ ...p })}`,
      ScoreSeriesResponseSchema,
      { signal },
    ),
  releases: (p: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<ReleaseScoresResponse> =>
    request(
      'load scores per release',
      `/api/v1/analytics/scores/releases${toQuery({ ...p })}`,
      ReleaseScoresResponseSchema,
      { signal },
    ),
  compare: (a: string, b: string, signal?: AbortSignal): Promise<CompareReleaseScoresResponse> =>
    request(
      `compare the scores of ${a} and ${b}`,
      `/api/v1/analytics/scores/compare${toQuery({ a, b })}`,
      CompareReleaseScoresResponseSchema,
      { signal },
    ),
}
