/**
 * What scores cost on a real server over the embedded store: writing batches of scores (target
 * checks, config checks, idempotency lookup, insert), re-sending them (nothing stored), the list's
 * per-trace summaries, the list filtered by a score, the release statistics, and span-event reading
 * after resolution. Prints one line per operation (median of runs, ms) and a last summary line.
 *
 *   pnpm bench:scores          # TRACES=2000 SCORES_PER_TRACE=3 by default
 */
import { performance } from 'node:perf_hooks'
import { makeTraceRequest, traceIdFor } from '@sightline/testkit/otlp-json'
import { startTestServer } from '../../test/helpers/server.js'

const TRACES = Number(process.env.TRACES ?? 2000)
const PER_TRACE = Number(process.env.SCORES_PER_TRACE ?? 3)
const RUNS = 5

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
async function time(label: string, runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  const m = median(samples)
  console.log(`${label.padEnd(58)} ${m.toFixed(1).padStart(8)} ms (median of ${runs})`)
  return m
}

const server = await startTestServer({
  SIGHTLINE_EVAL_INTERVAL_MS: '0',
  SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
  LOG_LEVEL: 'error',
})
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res
}
const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: server.authHeaders })
  if (!res.ok) throw new Error(`${path}: ${res.status}`)
  return res.json()
}
try {
  const t0 = Date.now() - 6 * 3_600_000
  const seeds = Array.from({ length: TRACES }, (_, i) => `bench-${i}`)
  for (let i = 0; i < seeds.length; i += 200) {
    const bodies = seeds.slice(i, i + 200).map(
      (seed, j) =>
        makeTraceRequest({
          seed,
          startMs: t0 + (i + j) * 5_000,
          agent: 'planner',
          release: (i + j) % 2 ? '2.3.1' : '2.3.0',
          service: 'planner-agent',
          tools: [{ name: 'search', args: { q: seed } }],
        }) as { resourceSpans: unknown[] },
    )
    await post('/v1/traces', { resourceSpans: bodies.flatMap((b) => b.resourceSpans) })
  }
  await server.drain()
  const scores = seeds.flatMap((seed, i) =>
    Array.from({ length: PER_TRACE }, (_, k) => ({
      id: `b-${seed}-${k}`,
      traceId: traceIdFor(seed),
      name: ['user_feedback', 'judge_helpful', 'trajectory_recall'][k % 3],
      value: k % 3 === 0 ? i % 4 !== 0 : (i % 10) / 10,
      source: 'api',
    })),
  )
  let batch = 0
  const writeMs = await time(
    `write 500 new scores (batch), ${TRACES} traces stored`,
    Math.min(RUNS, Math.floor(scores.length / 500)),
    async () => post('/api/v1/scores', { scores: scores.slice(batch * 500, ++batch * 500) }),
  )
  for (; batch * 500 < scores.length; batch++)
    await post('/api/v1/scores', { scores: scores.slice(batch * 500, (batch + 1) * 500) })
  await time('re-send 500 stored scores (idempotent, nothing written)', RUNS, async () =>
    post('/api/v1/scores', { scores: scores.slice(0, 500) }),
  )
  const one = await time('write 1 score (SDK feedback)', RUNS * 4, async () =>
    post('/api/v1/scores', {
      scores: [{ traceId: traceIdFor(seeds[7]!), name: 'user_feedback', value: true, source: 'sdk' }],
    }),
  )
  const ids = seeds.slice(0, 50).map(traceIdFor).join(',')
  const summary = await time('summaries of 50 listed traces (score column)', RUNS, async () =>
    get(`/api/v1/scores/summary?traceIds=${ids}`),
  )
  const from = new Date(t0 - 60_000).toISOString()
  const to = new Date().toISOString()
  const plain = await time('trace list, 50 rows', RUNS, async () => get(`/api/v1/traces?from=${from}&to=${to}`))
  const filtered = await time('trace list, 50 rows, score=user_feedback=false', RUNS, async () =>
    get(`/api/v1/traces?from=${from}&to=${to}&score=${encodeURIComponent('user_feedback=false')}`),
  )
  const releases = await time('scores per release with intervals (all scores)', RUNS, async () =>
    get(`/api/v1/analytics/scores/releases?from=${from}&to=${to}`),
  )
  const series = await time('score series by release, 1h steps', RUNS, async () =>
    get(`/api/v1/analytics/scores/series?name=user_feedback&metric=pass_rate&dimension=release&from=${from}&to=${to}`),
  )
  console.log(
    `scores-bench: traces=${TRACES} scores=${scores.length} write500_ms=${writeMs.toFixed(0)} ` +
      `write1_ms=${one.toFixed(0)} summary50_ms=${summary.toFixed(0)} list_ms=${plain.toFixed(0)} ` +
      `list_score_filter_ms=${filtered.toFixed(0)} release_stats_ms=${releases.toFixed(0)} ` +
      `series_ms=${series.toFixed(0)}`,
  )
} finally {
  await server.stop()
}
