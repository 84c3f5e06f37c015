/**
 * Human review over the real server: a queue built from the explorer's filter (10 failed traces)
 * or from an anomaly, two reviewers scoring against the project's score configs, progress and
 * agreement, edits kept in the history, bad reviews refused, queues invisible to other projects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListReviewQueuesResponse, ReviewQueue, ReviewQueueDetail, ScoreHistoryResponse } from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
let otherKey: string
let queue: ReviewQueue
const T0 = Date.now() - 2 * 3_600_000

const call = async (method: string, path: string, body?: unknown, key?: string) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      Authorization: key ? `Bearer ${key}` : server.authHeaders.Authorization!,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { message: string } },
  }
}
const review = (position: number, author: string, correct: boolean, quality: number, comment = '') =>
  call('PUT', `/api/v1/review-queues/${queue.id}/items/${position}/review`, {
    author,
    scores: [
      { name: 'correct', value: correct },
      { name: 'quality', value: quality },
    ],
    comment,
  })

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  for (let i = 0; i < 12; i++) {
    await sendJson(
      server.url,
      server.authHeaders,
      makeTraceRequest({
        seed: `fail-${i}`,
        startMs: T0 + i * 60_000,
        agent: 'planner',
        release: '2.3.0',
        error: i < 10 ? 'planner exceeded max steps (8)' : undefined,
      }),
    )
  }
  otherKey = (await server.deps.projects.createProject('other team')).apiKey
  await server.drain()
  expect(
    (await call('PUT', '/api/v1/score-configs/correct', { dataType: 'boolean', description: 'the answer is right' }))
      .status,
  ).toBe(200)
  expect(
    (await call('PUT', '/api/v1/score-configs/quality', { dataType: 'numeric', min: 1, max: 5, passThreshold: 4 }))
      .status,
  ).toBe(200)
})
afterAll(async () => {
  await server?.stop()
})

describe('review queues', () => {
  it('builds a queue from the explorer filter: the 10 failed traces, newest first', async () => {
    const res = await call('POST', '/api/v1/review-queues', {
      name: 'Failed planner runs',
      filter: { status: 'failed', agent: 'planner' },
      scoreNames: ['correct', 'quality'],
    })
    expect(res.status).toBe(201)
    queue = res.body.queue as ReviewQueue
    expect(queue).toMatchObject({ source: 'filter', itemCount: 10, scoreNames: ['correct', 'quality'] })
    const detail = (await getJson<ReviewQueueDetail>(server, `/api/v1/review-queues/${queue.id}`)).body
    expect(detail.items.map((i) => i.traceId)).toEqual(
      Array.from({ length: 10 }, (_, i) => traceIdFor(`fail-${9 - i}`)),
    )
    expect(detail.items[0]).toMatchObject({
      position: 0,
      outcome: 'failed',
      failureReason: expect.stringContaining('max steps'),
      reviews: [],
    })
    expect(detail.progress).toEqual({ total: 10, reviewed: 0, byReviewer: [] })
  })

  it('records reviews, progress and agreement between two reviewers', async () => {
    for (let p = 0; p < 10; p++) expect((await review(p, 'ana', p % 3 !== 0, 2 + (p % 3))).status).toBe(200)
    for (let p = 0; p < 5; p++) expect((await review(p, 'bo', p % 3 !== 0 || p === 3, 2 + (p % 3))).status).toBe(200)
    const detail = (await getJson<ReviewQueueDetail>(server, `/api/v1/review-queues/${queue.id}`)).body
    expect(detail.progress).toEqual({
      total: 10,
      reviewed: 10,
      byReviewer: [
        { author: 'ana', reviewed: 10 },
        { author: 'bo', reviewed: 5 },
      ],
    })
    expect(detail.items[1]!.reviews.map((r) => [r.author, r.scores])).toEqual([
      ['ana', { correct: true, quality: 3 }],
      ['bo', { correct: true, quality: 3 }],
    ])
    const correct = detail.agreement.find((a) => a.scoreName === 'correct')!
    // Positions 0..4: ana F T T F T, bo F T T T T → 4 of 5 pairs agree.
    expect(correct).toMatchObject({ items: 5, pairs: 5, percentAgreement: 0.8 })
    expect(correct.kappa).toBeCloseTo(0.5455, 3)
    expect(detail.agreement.find((a) => a.scoreName === 'quality')).toMatchObject({
      items: 5,
      percentAgreement: 1,
      meanAbsDiff: 0,
      kappa: null,
    })
    const listed = (await getJson<ListReviewQueuesResponse>(server, '/api/v1/review-queues')).body.queues
    expect(listed.map((q) => [q.id, q.reviewed])).toEqual([[queue.id, 10]])
  })

  it("reviewing again edits the reviewer's scores and keeps the history", async () => {
    expect((await review(3, 'bo', false, 2, 'missed the loop the first time')).status).toBe(200)
    const detail = (await getJson<ReviewQueueDetail>(server, `/api/v1/review-queues/${queue.id}`)).body
    expect(detail.items[3]!.reviews.find((r) => r.author === 'bo')).toMatchObject({
      scores: { correct: false, quality: 2 },
      comment: 'missed the loop the first time',
    })
    expect(detail.agreement.find((a) => a.scoreName === 'correct')!.percentAgreement).toBe(1)
    const scores = (
      await getJson<{ scores: Array<{ id: string; author: string; name: string; traceId: string }> }>(
        server,
        `/api/v1/scores?queueId=${queue.id}&name=correct&limit=100`,
      )
    ).body.scores
    const bo3 = scores.find((s) => s.author === 'bo' && s.traceId === detail.items[3]!.traceId)!
    const history = (
      await getJson<ScoreHistoryResponse>(server, `/api/v1/scores/${encodeURIComponent(bo3.id)}/history`)
    ).body
    expect(history.versions.map((v) => v.value)).toEqual([true, false])
  })

  it('refuses bad reviews and bad queues with a clear 4xx', async () => {
    const outOfRange = await review(0, 'ana', true, 9)
    expect(outOfRange.status).toBe(400)
    expect(outOfRange.body.error!.message).toContain("value 9 is out of range 1–5 for score config 'quality'")
    const notInQueue = await call('PUT', `/api/v1/review-queues/${queue.id}/items/0/review`, {
      author: 'ana',
      scores: [{ name: 'tone', value: 'ok' }],
    })
    expect(notInQueue.body.error!.message).toContain('tone not scored in this queue')
    expect(
      (
        await call('PUT', `/api/v1/review-queues/${queue.id}/items/10/review`, {
          author: 'ana',
          scores: [{ name: 'correct', value: true }],
        })
      ).status,
    ).toBe(404)
    expect(
      (
        await call('PUT', `/api/v1/review-queues/${queue.id}/items/0/review`, {
          scores: [{ name: 'correct', value: true }],
        })
      ).status,
    ).toBe(400)
    expect(
      (await call('POST', '/api/v1/review-queues', { name: 'x', filter: {}, scoreNames: ['nope'] })).body.error!
        .message,
    ).toContain('no score config for nope')
    expect(
      (
        await call('POST', '/api/v1/review-queues', {
          name: 'x',
          anomalyId: 'no-such-anomaly',
          scoreNames: ['correct'],
        })
      ).status,
    ).toBe(404)
    expect(
      (
        await call('POST', '/api/v1/review-queues', {
          name: 'x',
          filter: { status: 'failed' },
          anomalyId: 'a',
          scoreNames: ['correct'],
        })
      ).status,
    ).toBe(400)
    expect(
      (await call('POST', '/api/v1/review-queues', { name: 'x', filter: { agent: 'nobody' }, scoreNames: ['correct'] }))
        .body.error!.message,
    ).toContain('No traces match')
    // Nothing stored was lost.
    expect(
      (await getJson<ReviewQueueDetail>(server, `/api/v1/review-queues/${queue.id}`)).body.items[0]!.reviews.find(
        (r) => r.author === 'ana',
      )!.scores,
    ).toEqual({ correct: false, quality: 2 })
  })

  it("builds a queue from an anomaly's traces", async () => {
    await server.deps.anomalies.upsert({
      projectId: 'default',
      id: 'anom-loop-1',
      kind: 'tool_loop',
      dimension: 'trace',
      value: 'planner',
      metric: 'repeated_calls',
      status: 'open',
      severity: 'warning',
      startedAt: new Date(T0).toISOString(),
      lastSeenAt: new Date(T0).toISOString(),
      endedAt: null,
      observed: 8,
      expected: 2,
      score: 4,
      traceIds: [traceIdFor('fail-1'), traceIdFor('fail-2')],
      summary: 'weather called 8 times',
      tier: '',
      incidentId: '',
    })
    const res = await call('POST', '/api/v1/review-queues', {
      name: 'Loop incident',
      anomalyId: 'anom-loop-1',
      scoreNames: ['correct'],
    })
    expect(res.status).toBe(201)
    expect(res.body.queue).toMatchObject({ source: 'anomaly', anomalyId: 'anom-loop-1', itemCount: 2 })
  })

  it('another project sees no queue and cannot review', async () => {
    expect(
      (
        await getJson<ListReviewQueuesResponse>(server, '/api/v1/review-queues', {
          Authorization: `Bearer ${otherKey}`,
        })
      ).body.queues,
    ).toEqual([])
    expect((await call('GET', `/api/v1/review-queues/${queue.id}`, undefined, otherKey)).status).toBe(404)
    expect(
      (
        await call(
          'PUT',
          `/api/v1/review-queues/${queue.id}/items/0/review`,
          { author: 'eve', scores: [{ name: 'correct', value: true }] },
          otherKey,
        )
      ).status,
    ).toBe(404)
  })
})
