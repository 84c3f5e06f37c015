/**
 * A score that arrives before its trace's root span (a thumbs sent while the exporter still holds
 * the root) first takes its release and agent from the spans stored so far; once the resolver has
 * judged the trace, the score carries the root's release and agent, without a history entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListScoresResponse, ScoreHistoryResponse } from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

type Request = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ parentSpanId: string }> }> }> }

/** Only the root span (root: true) or only the others, of the request this spec builds. */
function part(spec: Parameters<typeof makeTraceRequest>[0], root: boolean): Request {
  const request = makeTraceRequest(spec) as Request
  for (const rs of request.resourceSpans)
    for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s) => (s.parentSpanId === '') === root)
  return request
}

describe('score targets settle when the root arrives', () => {
  let server: TestServer
  const spec = { seed: 'thumbs-early', startMs: Date.now() - 30_000, agent: 'planner', llmCalls: 1 }
  const traceId = traceIdFor(spec.seed)
  const scoreOf = async () =>
    (await getJson<ListScoresResponse>(server, `/api/v1/scores?traceId=${traceId}`)).body.scores[0]

  beforeAll(async () => {
    server = await startTestServer({ SIGHTLINE_RESOLVE_QUIET_MS: '100' })
  })
  afterAll(async () => server?.stop())

  it('takes the root’s release once the resolver has judged the trace', async () => {
    // The children come from a sub-agent's release; the root from the release that served the answer.
    await sendJson(server.url, server.authHeaders, part({ ...spec, release: 'sub-1' }, false))
    await server.drain()
    const res = await fetch(`${server.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({
        scores: [{ id: 'thumb-1', traceId, name: 'user_feedback', value: false }],
      }),
    })
    expect(res.status).toBe(201)
    await server.drain()
    expect((await scoreOf())?.release).toBe('sub-1')

    await sendJson(server.url, server.authHeaders, part({ ...spec, release: 'app-2' }, true))
    await server.drain()
    const settled = await scoreOf()
    expect(settled).toMatchObject({ id: 'thumb-1', release: 'app-2', agent: 'planner', value: false })
    const history = (await getJson<ScoreHistoryResponse>(server, '/api/v1/scores/thumb-1/history')).body
    expect(history.versions).toHaveLength(1)
  })

  it('keeps the release of a score whose root was stored first, through re-sent spans', async () => {
    const other = { ...spec, seed: 'thumbs-late' }
    await sendJson(server.url, server.authHeaders, makeTraceRequest({ ...other, release: 'app-3' }))
    await server.drain()
    const id = traceIdFor(other.seed)
    await fetch(`${server.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...server.authHeaders },
      body: JSON.stringify({
        scores: [{ id: 'thumb-2', traceId: id, name: 'user_feedback', value: true }],
      }),
    })
    await sendJson(server.url, server.authHeaders, makeTraceRequest({ ...other, release: 'app-3' }))
    await server.drain()
    const [score] = (await getJson<ListScoresResponse>(server, `/api/v1/scores?traceId=${id}`)).body.scores
    expect(score).toMatchObject({ release: 'app-3', version: expect.any(Number) })
    expect((await scoreOf())?.release).toBe('app-2')
  })
})
