/**
 * Seeds a test server through OTLP with the data the console tests need: the captured corpus, the
 * ingest factory's traces, multi-agent traces (one failed: a retried tool and a failing sub-agent;
 * one recovered: the retried tool only; a variant for comparison), a 3-turn session, and optionally
 * one huge trace.
 */
import { corpusFileNames, readCorpus } from '@sightline/testkit/corpus'
import { makeTraceRequest, traceIdFor } from '@sightline/testkit/otlp-json'
import { makeHugeTrace, makeMultiAgentTrace, makeSessionTurn } from './agent-traces.js'
import { postOtlp, type TestServer } from './console.js'

export interface Seeded {
  failedTraceId: string
  recoveredTraceId: string
  compareA: string
  compareB: string
  sessionId: string
  factoryOkId: string
  corpusTraceIds: string[]
  hugeTraceId?: string
}

export async function seedConsoleData(server: TestServer, options: { hugeSpans?: number } = {}): Promise<Seeded> {
  const now = Date.now()
  const corpusTraceIds: string[] = []
  for (const file of corpusFileNames().filter((f) => f.endsWith('.otlp.json'))) {
    const text = readCorpus(file).toString('utf8')
    await postOtlp(server, text)
    const match = /"traceId"\s*:\s*"([0-9a-fA-F]{32})"/.exec(text)
    if (match) corpusTraceIds.push(match[1]!.toLowerCase())
  }
  await postOtlp(
    server,
    makeTraceRequest({
      seed: 'factory-ok',
      startMs: now - 50 * 60_000,
      agent: 'weather',
      llmCalls: 2,
      tools: [{ name: 'get_weather', args: { city: 'Paris' }, result: '{"tempC":18}' }],
      prompt: 'Weather in Paris?',
    }),
  )
  await postOtlp(
    server,
    makeTraceRequest({
      seed: 'factory-err',
      startMs: now - 49 * 60_000,
      agent: 'weather',
      tools: [{ name: 'flaky_lookup', args: { id: 7 }, error: 'lookup failed' }],
    }),
  )
  // Enough small traces that the explorer needs a second page (50 per page).
  for (let i = 0; i < 45; i++) {
    await postOtlp(
      server,
      makeTraceRequest({
        seed: `bulk-${i}`,
        startMs: now - (120 + i) * 60_000,
        agent: 'triage',
        service: 'bulk-svc',
        llmCalls: 1,
        durationMs: 200 + i,
      }),
    )
  }
  for (const body of makeMultiAgentTrace({ seed: 'multi-fail', startMs: now - 40 * 60_000, failure: 'failed' }))
    await postOtlp(server, body)
  for (const body of makeMultiAgentTrace({ seed: 'multi-recovered', startMs: now - 35 * 60_000, failure: 'recovered' }))
    await postOtlp(server, body)
  for (const body of makeMultiAgentTrace({ seed: 'multi-a', startMs: now - 30 * 60_000 })) await postOtlp(server, body)
  for (const body of makeMultiAgentTrace({ seed: 'multi-b', startMs: now - 20 * 60_000, variant: 'b' }))
    await postOtlp(server, body)
  const sessionId = 'sess-e2e-001'
  const turns: Array<[string, string]> = [
    ['Hi, my order #1234 has not arrived.', 'Sorry about that! Let me check order #1234.'],
    ['It was due last Monday.', 'I see it is delayed at the depot; it should arrive on Thursday.'],
    ['Can I get a refund for shipping?', 'Yes, I have refunded the $4.99 shipping fee.'],
  ]
  for (const [i, [q, a]] of turns.entries())
    await postOtlp(server, makeSessionTurn(`turn-${i}`, now - (15 - i * 3) * 60_000, sessionId, q, a))
  let hugeTraceId: string | undefined
  if (options.hugeSpans) {
    for (const body of makeHugeTrace('huge', now - 10 * 60_000, options.hugeSpans)) await postOtlp(server, body)
    hugeTraceId = traceIdFor('huge')
  }
  await server.drain()
  return {
    failedTraceId: traceIdFor('multi-fail'),
    recoveredTraceId: traceIdFor('multi-recovered'),
    compareA: traceIdFor('multi-a'),
    compareB: traceIdFor('multi-b'),
    sessionId,
    factoryOkId: traceIdFor('factory-ok'),
    corpusTraceIds,
    hugeTraceId,
  }
}
