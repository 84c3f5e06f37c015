/**
 * Seeds the dashboards' browser test through OTLP, in bulk: a day and a bit of steady history (two
 * gpt-4o traces a minute, so the series detectors have a baseline), a cost spike in the last
 * 12 minutes (ten a minute), two releases of a checkout agent over the last 6 hours (1.1.0 about
 * 2.5× slower than 1.0.0, some failures), an unpriced model, and one trace that loops on a tool.
 * Timestamps are minute-aligned, relative to `now`.
 */
import { makeTraceRequest, traceIdFor, type TraceSpec } from '@sightline/testkit/otlp-json'
import { postOtlp, type TestServer } from './console.js'

const MIN = 60_000
export const UNPRICED_MODEL = 'acme-llm-7b'
export const RELEASES = { fast: '1.0.0', slow: '1.1.0' } as const
export const SPIKE_MINUTES = 12

export interface AnalyticsSeed {
  now: number
  loopTraceId: string
}

type Body = { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ parentSpanId: string; status: object }> }> }> }

/** The factory's root span is always ok; a failed run marks it as an error. */
function failRoot(body: Body): Body {
  for (const rs of body.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) if (s.parentSpanId === '') s.status = { code: 2, message: 'checkout failed' }
  return body
}

async function postAll(server: TestServer, bodies: Body[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 300)
    await postOtlp(server, { resourceSpans: bodies.slice(i, i + 300).flatMap((b) => b.resourceSpans) })
}

const trace = (spec: TraceSpec, failed = false): Body => {
  const body = makeTraceRequest(spec) as Body
  return failed ? failRoot(body) : body
}

export async function seedAnalytics(
  server: TestServer,
  now = Math.floor(Date.now() / MIN) * MIN,
): Promise<AnalyticsSeed> {
  const bodies: Body[] = []
  const steady = (seed: string, startMs: number) =>
    trace({
      seed,
      startMs,
      agent: 'support',
      service: 'support-svc',
      model: 'gpt-4o',
      inputTokens: 4000,
      outputTokens: 500,
      tools: [{ name: 'search', args: { q: seed } }],
      userId: `user-${startMs % 3}`,
    })
  for (let t = now - 26 * 60 * MIN; t < now; t += MIN) {
    const perMinute = t >= now - SPIKE_MINUTES * MIN ? 10 : 2
    for (let i = 0; i < perMinute; i++) bodies.push(steady(`h-${t}-${i}`, t + i * 4000))
  }
  for (let i = 0; i < 120; i++) {
    const release = i % 2 === 0 ? RELEASES.fast : RELEASES.slow
    const jitter = 0.8 + ((i * 37) % 40) / 100
    const model = i % 5 === 0 ? UNPRICED_MODEL : i % 3 === 0 ? 'gpt-4o-mini' : 'gpt-4o'
    bodies.push(
      trace(
        {
          seed: `rel-${i}`,
          startMs: now - 6 * 60 * MIN + i * 3 * MIN + 30_000,
          agent: 'checkout',
          service: 'checkout-svc',
          release,
          environment: 'prod',
          model,
          provider: model === UNPRICED_MODEL ? 'acme' : 'openai',
          inputTokens: 1200,
          outputTokens: 300,
          cachedInputTokens: 400,
          userId: `user-${i % 4}`,
          durationMs: (release === RELEASES.slow ? 2500 : 1000) * jitter,
          tools: [{ name: 'db_lookup', args: { id: i }, ...(i % 11 === 0 ? { error: 'timeout' } : {}) }],
        },
        i % 13 === 0,
      ),
    )
  }
  const same = { city: 'Atlantis' }
  bodies.push(
    trace(
      {
        seed: 'loop',
        startMs: now - 20 * MIN,
        agent: 'planner',
        service: 'planner-svc',
        tools: Array.from({ length: 6 }, () => ({ name: 'weather', args: same, result: 'not found' })),
      },
      true,
    ),
  )
  await postAll(server, bodies)
  await server.drain()
  return { now, loopTraceId: traceIdFor('loop') }
}

/** Runs the server's detector minute by minute up to `now` (the scheduler is off in tests). */
export async function detectAnomalies(server: TestServer, now: number): Promise<void> {
  for (let t = now - 10 * MIN; t <= now; t += MIN) await server.deps.detector.evaluate(t)
}
