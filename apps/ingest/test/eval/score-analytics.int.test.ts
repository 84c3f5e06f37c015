/**
 * Scores where people look: series by release and model, scores per release with 95 % intervals
 * (production and CI apart) next to the evaluation-gate runs, and two releases compared with the
 * test named. The statistics are checked against values computed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  CompareReleaseScoresResponse,
  EvalRunReport,
  ListEvalRunsResponse,
  ReleaseScoresResponse,
  ScoreSeriesResponse,
} from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const HOUR = 3_600_000
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR
const FROM = new Date(T0 - HOUR).toISOString()
const TO = new Date(T0 + 3 * HOUR).toISOString()
// 2.3.0: 10 traces, 4 thumbs up; 2.3.1: 10 traces, 9 thumbs up. Judge scores: 2.3.0 0.3..0.75, 2.3.1 0.8..0.98.
const seeds = (release: string) => Array.from({ length: 10 }, (_, i) => `${release}-${i}`)

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: JSON.stringify(body),
  })
const report = (release: string, verdict: EvalRunReport['verdict'], runId: string): EvalRunReport => ({
  runId,
  suite: 'checkout',
  release,
  verdict,
  exitCode: verdict === 'pass' ? 0 : 1,
  startedAt: new Date(T0).toISOString(),
  finishedAt: new Date(T0 + 60_000).toISOString(),
  metrics: [
    {
      metric: 'trajectory_in_order',
      n: 12,
      mean: verdict === 'pass' ? 1 : 0.5,
      sd: 0,
      ciLow: verdict === 'pass' ? 0.76 : 0.25,
      ciHigh: verdict === 'pass' ? 1 : 0.75,
      method: 'Wilson',
    },
  ],
  thresholds: [
    {
      metric: 'trajectory_in_order',
      op: '>=',
      value: 0.9,
      actual: verdict === 'pass' ? 1 : 0.5,
      passed: verdict === 'pass',
    },
  ],
  baseline: null,
  cases: [],
  summary: `${release}: trajectory_in_order …`,
})

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  for (const [release, model] of [
    ['2.3.0', 'gpt-4o'],
    ['2.3.1', 'gpt-4o-mini'],
  ] as const) {
    for (const [i, seed] of seeds(release).entries())
      await sendJson(
        server.url,
        server.authHeaders,
        makeTraceRequest({
          seed,
          startMs: T0 + i * 60_000 + (release === '2.3.1' ? HOUR : 0),
          agent: 'planner',
          model,
          release,
          service: 'planner-agent',
        }),
      )
  }
  await server.drain()
  const put = await fetch(`${server.url}/api/v1/score-configs/judge_helpful`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: JSON.stringify({ dataType: 'numeric', min: 0, max: 1, passThreshold: 0.7 }),
  })
  expect(put.status).toBe(200)
  const scores = [
    ...seeds('2.3.0').map((s, i) => ({
      id: `fb-${s}`,
      traceId: traceIdFor(s),
      name: 'user_feedback',
      value: i < 4,
      source: 'sdk',
    })),
    ...seeds('2.3.1').map((s, i) => ({
      id: `fb-${s}`,
      traceId: traceIdFor(s),
      name: 'user_feedback',
      value: i < 9,
      source: 'sdk',
    })),
    ...seeds('2.3.0').map((s, i) => ({
      id: `j-${s}`,
      traceId: traceIdFor(s),
      name: 'judge_helpful',
      value: 0.3 + i * 0.05,
      source: 'evaluator',
      evaluator: 'helpful',
    })),
    ...seeds('2.3.1').map((s, i) => ({
      id: `j-${s}`,
      traceId: traceIdFor(s),
      name: 'judge_helpful',
      value: 0.8 + i * 0.02,
      source: 'evaluator',
      evaluator: 'helpful',
    })),
    ...seeds('2.3.1')
      .slice(0, 4)
      .map((s) => ({
        id: `ci-${s}`,
        traceId: traceIdFor(s),
        name: 'trajectory_in_order',
        value: 1,
        source: 'ci',
        evaluator: 'suite:checkout',
      })),
    {
      id: 'err-1',
      traceId: traceIdFor('2.3.1-9'),
      name: 'judge_helpful_2',
      error: 'judge timed out',
      source: 'evaluator',
    },
  ]
  const res = await post('/api/v1/scores', { scores })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await server?.stop()
})

describe('score analytics', () => {
  it('series of the pass rate by release and of the mean by model', async () => {
    const byRelease = (
      await getJson<ScoreSeriesResponse>(
        server,
        `/api/v1/analytics/scores/series?name=user_feedback&metric=pass_rate&dimension=release&step=1h&from=${FROM}` +
          `&to=${TO}`,
      )
    ).body
    expect(byRelease.passRule).toBe('true passes')
    expect(Object.fromEntries(byRelease.series.map((s) => [s.key, [s.n, s.total]]))).toEqual({
      '2.3.0': [10, 0.4],
      '2.3.1': [10, 0.9],
    })
    expect(
      byRelease.series
        .find((s) => s.key === '2.3.1')!
        .points.filter((p) => p.n > 0)
        .map((p) => p.value),
    ).toEqual([0.9])
    const byModel = (
      await getJson<ScoreSeriesResponse>(
        server,
        `/api/v1/analytics/scores/series?name=judge_helpful&metric=mean&dimension=model&step=1h&from=${FROM}&to=${TO}`,
      )
    ).body
    expect(byModel.series.find((s) => s.key === 'gpt-4o')!.total).toBeCloseTo(0.525)
    expect(byModel.series.find((s) => s.key === 'gpt-4o-mini')!.total).toBeCloseTo(0.89)
    const noRule = await getJson<ScoreSeriesResponse>(
      server,
      `/api/v1/analytics/scores/series?name=trajectory_in_order&metric=pass_rate&population=ci&from=${FROM}&to=${TO}`,
    )
    expect(noRule.body.passRule).toBeNull()
    expect(noRule.body.series[0]!.total).toBeNull()
    expect((await getJson<unknown>(server, '/api/v1/analytics/scores/series?name=x&dimension=planet')).status).toBe(400)
  })

  it('scores per release with intervals, CI apart, and the gate runs of each release', async () => {
    expect((await post('/api/v1/eval-runs', report('2.3.0', 'fail', 'run-000001'))).status).toBe(201)
    expect((await post('/api/v1/eval-runs', report('2.3.1', 'pass', 'run-000002'))).status).toBe(201)
    expect((await post('/api/v1/eval-runs', { ...report('2.3.1', 'pass', 'run-000003'), exitCode: 7 })).status).toBe(
      400,
    )
    const body = (
      await getJson<ReleaseScoresResponse>(server, `/api/v1/analytics/scores/releases?from=${FROM}&to=${TO}`)
    ).body
    const r231 = body.releases.find((r) => r.release === '2.3.1')!
    const feedback = r231.scores.find((s) => s.name === 'user_feedback')!
    // Wilson 95 % for 9/10: 0.5958–0.9821.
    expect(feedback.passRate).toMatchObject({ successes: 9, n: 10, estimate: 0.9 })
    expect(feedback.passRate!.ciLow).toBeCloseTo(0.5958, 3)
    expect(feedback.passRate!.ciHigh).toBeCloseTo(0.9821, 3)
    const judged = r231.scores.find((s) => s.name === 'judge_helpful')!
    // Values 0.80, 0.82 … 0.98: mean 0.89, sd 0.060553, t(0.975, 9) = 2.262157 → ±0.043317.
    expect(judged.mean.estimate).toBeCloseTo(0.89, 6)
    expect(judged.mean.ciLow).toBeCloseTo(0.846683, 4)
    expect(judged.passRate).toMatchObject({ successes: 10, n: 10 })
    expect(r231.scores.find((s) => s.name === 'trajectory_in_order')).toMatchObject({ population: 'ci', n: 4 })
    expect(r231.scores.find((s) => s.name === 'judge_helpful_2')).toMatchObject({
      n: 0,
      errors: 1,
      mean: { estimate: null },
    })
    expect(r231.evalRuns.map((r) => [r.suite, r.verdict])).toEqual([['checkout', 'pass']])
    expect(body.methods.mean).toContain('Student-t')
    const runs = (await getJson<ListEvalRunsResponse>(server, '/api/v1/eval-runs?suite=checkout&verdict=pass')).body
      .runs
    expect(runs.map((r) => r.release)).toEqual(['2.3.1'])
  })

  it('compares two releases with the test used', async () => {
    const body = (
      await getJson<CompareReleaseScoresResponse>(
        server,
        `/api/v1/analytics/scores/compare?a=2.3.0&b=2.3.1&from=${FROM}&to=${TO}`,
      )
    ).body
    const feedback = body.scores.find((s) => s.name === 'user_feedback' && s.population === 'production')!
    expect(feedback.passRateDiff).toMatchObject({
      estimate: 0.5,
      method: expect.stringContaining('Two-proportion z-test'),
    })
    expect(feedback.passRateDiff!.pValue!).toBeLessThan(0.05)
    const judged = body.scores.find((s) => s.name === 'judge_helpful')!
    expect(judged.meanDiff.estimate).toBeCloseTo(0.365, 6)
    expect(judged.meanDiff.method).toContain("Welch's t-test")
    expect(judged.meanDiff.pValue!).toBeLessThan(0.001)
    expect(body.evalRuns.b.map((r) => r.verdict)).toEqual(['pass'])
  })
})
