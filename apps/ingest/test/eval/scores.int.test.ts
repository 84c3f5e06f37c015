/**
 * Scores over the real server: batches are all or nothing, re-sent ids change nothing, human edits
 * keep history, score configs refuse wrong types and ranges with a clear 4xx, the list filters by
 * score, and one project never sees or writes another's scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  ListScoresResponse,
  ListTracesResponse,
  PostScoresResponse,
  Score,
  ScoreHistoryResponse,
} from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
let otherKey: string
const T0 = Date.parse('2026-03-01T10:00:00Z')
const ok = traceIdFor('scored-ok')
const bad = traceIdFor('scored-bad')
const llmSpanOf = (seed: string) =>
  (
    makeTraceRequest({ seed, startMs: T0 }) as {
      resourceSpans: [{ scopeSpans: [{ spans: Array<{ spanId: string; name: string }> }] }]
    }
  ).resourceSpans[0].scopeSpans[0].spans.find((s) => s.name.startsWith('chat'))!.spanId

const post = async (scores: unknown[], key?: string) => {
  const res = await fetch(`${server.url}/api/v1/scores`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${key ?? server.authHeaders.Authorization!.slice(7)}`,
    },
    body: JSON.stringify({ scores }),
  })
  return {
    status: res.status,
    body: (await res.json()) as PostScoresResponse & { error?: { code: string; message: string } },
  }
}
const listScores = async (query: string, key?: string) =>
  (
    await getJson<ListScoresResponse>(
      server,
      `/api/v1/scores?${query}`,
      key ? { Authorization: `Bearer ${key}` } : server.authHeaders,
    )
  ).body.scores
const send = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

beforeAll(async () => {
  server = await startTestServer()
  await sendJson(
    server.url,
    server.authHeaders,
    makeTraceRequest({
      seed: 'scored-ok',
      startMs: T0,
      agent: 'planner',
      model: 'gpt-4o',
      release: '2.3.1',
      service: 'planner-agent',
      sessionId: 'sess-1',
    }),
  )
  await sendJson(
    server.url,
    server.authHeaders,
    makeTraceRequest({
      seed: 'scored-bad',
      startMs: T0 + 60_000,
      agent: 'planner',
      model: 'gpt-4o-mini',
      release: '2.3.0',
      service: 'planner-agent',
      tools: [{ name: 'weather', error: 'not found' }],
    }),
  )
  otherKey = (await server.deps.projects.createProject('other team')).apiKey
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('POST /api/v1/scores', () => {
  it('stores trace, span and session scores with what they scored', async () => {
    const res = await post([
      { id: 'fb-1', traceId: ok, name: 'user_feedback', value: true, comment: 'great', source: 'sdk' },
      {
        id: 'judge-1',
        traceId: ok,
        spanId: llmSpanOf('scored-ok'),
        name: 'helpfulness',
        value: 0.8,
        label: 'helpful',
        source: 'evaluator',
        evaluator: 'judge',
        evaluatorVersion: '3',
      },
      { id: 'sess-1-csat', sessionId: 'sess-1', name: 'csat', value: 'satisfied' },
    ])
    expect(res.status).toBe(201)
    expect(res.body.scores).toEqual([
      { id: 'fb-1', status: 'created' },
      { id: 'judge-1', status: 'created' },
      { id: 'sess-1-csat', status: 'created' },
    ])
    const scores = await listScores(`traceId=${ok}`)
    const byId = new Map(scores.map((s) => [s.id, s]))
    expect(byId.get('fb-1')).toMatchObject({
      dataType: 'boolean',
      value: true,
      source: 'sdk',
      release: '2.3.1',
      agent: 'planner',
      models: ['gpt-4o'],
      sessionId: 'sess-1',
      time: '2026-03-01T10:00:00.000Z',
    })
    expect(byId.get('judge-1')).toMatchObject({
      dataType: 'numeric',
      value: 0.8,
      label: 'helpful',
      evaluator: 'judge',
      evaluatorVersion: '3',
      models: ['gpt-4o'],
    })
    expect((await listScores('sessionId=sess-1')).map((s) => s.id).sort()).toEqual(['fb-1', 'judge-1', 'sess-1-csat'])
  })

  it('is idempotent by id: the same batch again stores nothing new', async () => {
    const again = await post([
      { id: 'fb-1', traceId: ok, name: 'user_feedback', value: true, comment: 'great', source: 'sdk' },
    ])
    expect(again.status).toBe(200)
    expect(again.body.scores).toEqual([{ id: 'fb-1', status: 'unchanged' }])
    expect((await listScores(`traceId=${ok}&name=user_feedback`)).length).toBe(1)
    const history = (await getJson<ScoreHistoryResponse>(server, '/api/v1/scores/fb-1/history')).body
    expect(history.versions).toHaveLength(1)
  })

  it('keeps a human edit with its history, only by its author', async () => {
    expect(
      (await post([{ id: 'rev-1', traceId: bad, name: 'correct', value: false, source: 'human', author: 'ana' }]))
        .status,
    ).toBe(201)
    const edit = await send('PUT', '/api/v1/scores/rev-1', {
      value: true,
      comment: 'on second look it recovered',
      author: 'ana',
    })
    expect(edit.status).toBe(200)
    expect(((await edit.json()) as { score: Score }).score).toMatchObject({
      value: true,
      comment: 'on second look it recovered',
      version: expect.any(Number),
    })
    const notMine = await send('PUT', '/api/v1/scores/rev-1', { value: false, author: 'bo' })
    expect(notMine.status).toBe(403)
    expect(await notMine.text()).toContain("ana's")
    expect((await send('DELETE', '/api/v1/scores/judge-1?author=ana')).status).toBe(403)
    const history = (await getJson<ScoreHistoryResponse>(server, '/api/v1/scores/rev-1/history')).body
    expect(history.versions.map((v) => [v.value, v.author])).toEqual([
      [false, 'ana'],
      [true, 'ana'],
    ])
    expect((await send('DELETE', '/api/v1/scores/rev-1?author=bo')).status).toBe(403)
    expect((await send('DELETE', '/api/v1/scores/rev-1?author=ana')).status).toBe(204)
    expect(await listScores(`traceId=${bad}&name=correct`)).toEqual([])
    expect((await send('GET', '/api/v1/scores/rev-1/history')).status).toBe(404)
  })
})

describe('bad input gets a clear 4xx and nothing already stored is lost', () => {
  it('checks values against the score config (type, range, categories)', async () => {
    expect(
      (
        await send('PUT', '/api/v1/score-configs/rating', {
          dataType: 'numeric',
          min: 1,
          max: 5,
          passThreshold: 4,
          description: 'user rating',
        })
      ).status,
    ).toBe(200)
    expect(
      (await send('PUT', '/api/v1/score-configs/tone', { dataType: 'categorical', categories: ['polite', 'rude'] }))
        .status,
    ).toBe(200)
    expect(
      (await send('PUT', '/api/v1/score-configs/broken', { dataType: 'categorical', categories: ['only-one'] })).status,
    ).toBe(400)
    expect((await post([{ id: 'r-ok', traceId: ok, name: 'rating', value: 5 }])).status).toBe(201)
    const range = await post([{ id: 'r-7', traceId: ok, name: 'rating', value: 7 }])
    expect(range.status).toBe(400)
    expect(range.body.error!.message).toContain(
      "scores[0].value: value 7 is out of range 1–5 for score config 'rating'",
    )
    const type = await post([{ id: 'r-t', traceId: ok, name: 'rating', value: 'five' }])
    expect(type.status).toBe(400)
    expect(type.body.error!.message).toContain('takes numeric values, not categorical')
    expect((await post([{ traceId: ok, name: 'tone', value: 'angry' }])).body.error!.message).toContain(
      'not a category',
    )
    // The good score sent with a bad one is not stored either, and the earlier one is untouched.
    const mixed = await post([
      { id: 'r-new', traceId: ok, name: 'rating', value: 4 },
      { id: 'r-ok', traceId: ok, name: 'rating', value: 9 },
    ])
    expect(mixed.status).toBe(400)
    expect((await listScores(`traceId=${ok}&name=rating`)).map((s) => [s.id, s.value])).toEqual([['r-ok', 5]])
  })

  it('refuses unknown targets, malformed bodies, server-only sources and reused ids', async () => {
    const unknown = await post([{ traceId: 'f'.repeat(32), name: 'x', value: 1 }])
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_target',
      message: expect.stringContaining(`no trace ${'f'.repeat(32)} in this project`),
    })
    expect((await post([{ traceId: ok, spanId: 'a'.repeat(16), name: 'x', value: 1 }])).status).toBe(404)
    expect((await post([{ sessionId: 'no-such-session', name: 'x', value: 1 }])).status).toBe(404)
    const shape = await post([
      { traceId: 'xyz', name: 'x', value: 1 },
      { name: 'x', value: 1 },
      { traceId: ok, name: 'x' },
      { traceId: ok, name: 'x', value: 1, source: 'otel' },
    ])
    expect(shape.status).toBe(400)
    expect(shape.body.error!.message).toMatch(
      /scores\[0\]\.traceId.*scores\[1\]\.traceId: give traceId.*scores\[2\]\.value: give a value.*scores\[3\]\.source/,
    )
    expect((await post([{ traceId: ok, name: 'x', value: 1, source: 'human' }])).body.error!.message).toContain(
      'human scores name their author',
    )
    expect((await post([{ id: 'fb-1', traceId: bad, name: 'user_feedback', value: true }])).status).toBe(409)
    expect(
      (
        await post([
          { id: 'd', traceId: ok, name: 'x', value: 1 },
          { id: 'd', traceId: ok, name: 'x', value: 2 },
        ])
      ).body.error!.message,
    ).toContain('repeats scores[0].id')
    const malformed = await fetch(`${server.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: '{"scores": [',
    })
    expect(malformed.status).toBe(400)
    expect((await post([])).status).toBe(400)
    expect((await send('GET', '/api/v1/scores?limit=5000')).status).toBe(400)
    expect((await send('PUT', '/api/v1/scores/fb-1', { value: true })).status).toBe(400)
    expect((await listScores(`traceId=${ok}&name=user_feedback`)).map((s) => s.value)).toEqual([true])
  })
})

describe('scores in the trace list', () => {
  it('summarises per trace and filters the list by score', async () => {
    expect(
      (await post([{ id: 'fb-2', traceId: bad, name: 'user_feedback', value: false, source: 'sdk' }])).status,
    ).toBe(201)
    const summary = (
      await getJson<{ traces: Record<string, Array<{ name: string; mean: number | null; count: number }>> }>(
        server,
        `/api/v1/scores/summary?traceIds=${ok},${bad}`,
      )
    ).body.traces
    expect(summary[ok]!.find((b) => b.name === 'user_feedback')).toMatchObject({ count: 1, mean: 1 })
    expect(summary[bad]!.find((b) => b.name === 'user_feedback')).toMatchObject({ count: 1, mean: 0 })
    const traces = async (score: string) =>
      (
        await getJson<ListTracesResponse>(
          server,
          `/api/v1/traces?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&score=${encodeURIComponent(score)}`,
        )
      ).body.traces.map((t) => t.traceId)
    expect(await traces('user_feedback=false')).toEqual([bad])
    expect(await traces('user_feedback')).toEqual([bad, ok])
    expect(await traces('helpfulness>=0.5')).toEqual([ok])
    expect(await traces('helpfulness<0.5')).toEqual([])
    expect((await send('GET', '/api/v1/traces?score=helpfulness>=high')).status).toBe(400)
  })
})

describe('project isolation', () => {
  it('another project neither sees nor writes these scores', async () => {
    expect(await listScores(`traceId=${ok}`, otherKey)).toEqual([])
    expect(await listScores('name=user_feedback', otherKey)).toEqual([])
    const write = await post([{ traceId: ok, name: 'user_feedback', value: false }], otherKey)
    expect(write.status).toBe(404)
    const history = await fetch(`${server.url}/api/v1/scores/fb-1/history`, {
      headers: { Authorization: `Bearer ${otherKey}` },
    })
    expect(history.status).toBe(404)
    const summary = await getJson<{ traces: Record<string, unknown> }>(
      server,
      `/api/v1/scores/summary?traceIds=${ok}`,
      { Authorization: `Bearer ${otherKey}` },
    )
    expect(summary.body.traces).toEqual({})
    expect((await listScores(`traceId=${ok}&name=user_feedback`)).map((s) => s.value)).toEqual([true])
  })
})
