/**
 * @sightline/sdk scores against the real server: end-user feedback in two lines right after the
 * trace (the SDK flushes the spans and waits for them to be stored), scores on the span in
 * progress carried by the span itself, a client for processes that send no spans, idempotent ids,
 * and clear errors. (Test-only import of the ingest test server.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListScoresResponse } from '@sightline/schema'
import { startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import {
  createScoreClient,
  currentTraceId,
  registerSightline,
  ScoreError,
  withAgent,
  withLlmCall,
  type SightlineHandle,
} from '../src/index.js'

let server: TestServer
let sightline: SightlineHandle
let traceId = ''
let llmSpanId = ''

const scores = async (query: string) =>
  (
    (await (
      await fetch(`${server.url}/api/v1/scores?${query}`, { headers: server.authHeaders })
    ).json()) as ListScoresResponse
  ).scores

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  // A long batch delay: only the flush before each score gets the spans out in time.
  sightline = registerSightline({
    endpoint: server.url,
    apiKey: TEST_API_KEY,
    serviceName: 'support-bot',
    serviceVersion: '1.4.0',
    batch: { scheduledDelayMillis: 60_000 },
  })
  await withAgent(
    'support-bot',
    async () => {
      traceId = currentTraceId()
      await withLlmCall({ model: 'gpt-4o-mini', provider: 'openai' }, async (call) => {
        sightline.scoreCurrentSpan('grounded', 0.9, { comment: 'cites the refund policy', label: 'grounded' })
        sightline.scoreCurrentSpan('polite', true)
        call.record({ usage: { inputTokens: 200, outputTokens: 40 } })
      })
    },
    { sessionId: 'sess-42' },
  )
})
afterAll(async () => {
  await sightline?.shutdown()
  await server?.stop()
})

describe('@sightline/sdk scores', () => {
  it('sends end-user feedback in two lines, right after the trace', async () => {
    const results = await sightline.feedback({
      traceId,
      thumbs: 'down',
      rating: 2,
      text: 'wrong order number',
      userId: 'u-17',
      id: 'fb-001',
    })
    expect(results).toEqual([
      { id: 'fb-001:thumbs', status: 'created' },
      { id: 'fb-001:rating', status: 'created' },
    ])
    const stored = await scores(`traceId=${traceId}&source=sdk`)
    expect(
      stored
        .filter((s) => s.name.startsWith('user_'))
        .map((s) => [s.name, s.value, s.author, s.comment, s.release])
        .sort(),
    ).toEqual([
      ['user_feedback', false, 'u-17', 'wrong order number', '1.4.0'],
      ['user_rating', 2, 'u-17', 'wrong order number', '1.4.0'],
    ])
    // Sent again (a retry of the same click): nothing new.
    expect(
      await sightline.feedback({
        traceId,
        thumbs: 'down',
        rating: 2,
        text: 'wrong order number',
        userId: 'u-17',
        id: 'fb-001',
      }),
    ).toEqual([
      { id: 'fb-001:thumbs', status: 'unchanged' },
      { id: 'fb-001:rating', status: 'unchanged' },
    ])
  })

  it('scores the span in progress through the span itself', async () => {
    await server.drain()
    const onSpans = (await scores(`traceId=${traceId}`)).filter((s) => s.spanId !== '')
    llmSpanId = onSpans[0]?.spanId ?? ''
    expect(onSpans.map((s) => [s.name, s.value, s.label, s.source, s.comment]).sort()).toEqual([
      ['grounded', 0.9, 'grounded', 'sdk', 'cites the refund policy'],
      ['polite', true, '', 'sdk', ''],
    ])
    expect(onSpans.every((s) => s.spanId === llmSpanId && s.models.includes('gpt-4o-mini'))).toBe(true)
    expect(() => sightline.scoreCurrentSpan('outside', 1)).toThrow(ScoreError)
  })

  it('a process that sends no spans scores sessions and traces with a bare client', async () => {
    const client = createScoreClient({ endpoint: server.url, apiKey: TEST_API_KEY })
    expect(await client.feedback({ sessionId: 'sess-42', text: 'thanks, that helped', id: 'fb-002' })).toEqual([
      { id: 'fb-002:comment', status: 'created' },
    ])
    expect((await scores('sessionId=sess-42&name=user_comment')).map((s) => [s.value, s.comment])).toEqual([
      [true, 'thanks, that helped'],
    ])
    await client.score({ id: 'csat-1', traceId, name: 'csat', value: 'satisfied', comment: 'survey' })
    expect((await scores(`traceId=${traceId}&name=csat`)).map((s) => s.value)).toEqual(['satisfied'])
  })

  it('says what is wrong instead of retrying what cannot succeed', async () => {
    const client = createScoreClient({ endpoint: server.url, apiKey: TEST_API_KEY, retries: 1, retryDelayMs: 10 })
    await expect(client.feedback({ traceId, rating: 7 as 5 })).rejects.toThrow('rating must be 1–5, not 7')
    await expect(client.feedback({ traceId })).rejects.toThrow('feedback needs thumbs, a rating or text')
    await expect(client.score({ traceId: 'f'.repeat(32), name: 'x', value: 1 })).rejects.toThrow(
      /not sent after 2 attempts: scores\[0\]: no trace f{32} in this project/,
    )
    await expect(
      createScoreClient({ endpoint: server.url, apiKey: 'wrong-key-0000' }).score({ traceId, name: 'x', value: 1 }),
    ).rejects.toMatchObject({ status: 401 })
  })
})
