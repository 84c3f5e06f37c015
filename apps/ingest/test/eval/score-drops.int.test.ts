/**
 * Anomalies on score drops, through the detector's episode machinery: end-user thumbs up fall from
 * 90 % to 40 % in the last hour; the detector opens one `score_drop` anomaly naming the score, with
 * the thumbs-down traces, and opens nothing for a score that holds steady.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Anomaly } from '@sightline/schema'
import { makeTraceRequest, traceIdFor } from '@sightline/testkit/otlp-json'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const HOUR = 3_600_000
const NOW = Math.floor(Date.now() / 60_000) * 60_000

/** 300 traces over the 24 h before the last hour, 40 in the last hour. */
const traces = [
  ...Array.from({ length: 300 }, (_, i) => ({
    seed: `base-${i}`,
    startMs: NOW - 25 * HOUR + i * 4.5 * 60_000,
    up: i % 10 !== 0,
  })),
  ...Array.from({ length: 40 }, (_, i) => ({
    seed: `now-${i}`,
    startMs: NOW - HOUR + 60_000 + i * 80_000,
    up: i % 5 < 2,
  })),
]

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0', SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  for (let i = 0; i < traces.length; i += 50) {
    const requests = traces.slice(i, i + 50).map(
      (t) =>
        makeTraceRequest({ seed: t.seed, startMs: t.startMs, agent: 'support', release: '1.0.0' }) as {
          resourceSpans: unknown[]
        },
    )
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({ resourceSpans: requests.flatMap((r) => r.resourceSpans) }),
    })
    expect(res.status).toBe(200)
  }
  await server.drain()
  const scores = traces.flatMap((t) => [
    { id: `fb-${t.seed}`, traceId: traceIdFor(t.seed), name: 'user_feedback', value: t.up, source: 'sdk' },
    { id: `len-${t.seed}`, traceId: traceIdFor(t.seed), name: 'answer_length_ok', value: true, source: 'api' },
  ])
  for (let i = 0; i < scores.length; i += 500) {
    const res = await fetch(`${server.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({ scores: scores.slice(i, i + 500) }),
    })
    expect(res.status).toBe(201)
  }
}, 180_000)
afterAll(async () => {
  await server?.stop()
})

describe('score drops', () => {
  it('open one anomaly for the score that fell, with its failing traces', async () => {
    const { opened } = await server.deps.detector.evaluate(NOW)
    const drops = opened.filter((a: Anomaly) => a.kind === 'score_drop')
    expect(drops).toHaveLength(1)
    expect(drops[0]).toMatchObject({
      dimension: 'score',
      value: 'user_feedback',
      metric: 'score_pass_rate',
      observed: 0.4,
      expected: 0.9,
      status: 'open',
    })
    expect(drops[0]!.summary).toMatch(
      new RegExp(
        String.raw`user_feedback pass rate 40 % over the last hour, against 90 % before ` +
          String.raw`\(40 vs 300 scores, two-proportion z-test p < 0.001\)`,
      ),
    )
    const thumbsDown = new Set(traces.filter((t) => !t.up && t.seed.startsWith('now')).map((t) => traceIdFor(t.seed)))
    expect(drops[0]!.traceIds.length).toBe(10)
    expect(drops[0]!.traceIds.every((id) => thumbsDown.has(id))).toBe(true)
    // The next pass keeps the same episode open instead of opening another.
    const again = await server.deps.detector.evaluate(NOW + 60_000)
    expect(again.opened.filter((a: Anomaly) => a.kind === 'score_drop')).toEqual([])
  })
})
