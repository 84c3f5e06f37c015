/**
 * Evaluation on the demo fleet: the simulated users send feedback through the SDK as the traffic
 * runs; an online trajectory evaluator (against a reference saved from a good run) and an LLM judge
 * (a local mock endpoint) score a sample of the production traces; a fixed planner release gets its
 * own traffic and feedback; scores per release come back with 95 % intervals.
 */
import type {
  EvaluatorRun,
  GetTraceResponse,
  ListScoresResponse,
  ListTracesResponse,
  ReferenceTrajectory,
  ReleaseScoresResponse,
} from '@sightline/schema'
import { createScoreClient } from '@sightline/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockJudge, type MockJudge } from '@sightline/ingest/testing/mock-judge'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import { AgentClient } from '../src/a2a/call.js'
import { TRACE_ID_METADATA } from '../src/a2a/messages.js'
import { startFleet } from '../src/fleet.js'
import type { TrafficStats } from '../src/traffic/generator.js'

let server: TestServer
let judge: MockJudge
let stats: TrafficStats
const fixedRuns: string[] = []
let buggyRun = ''

const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}
const scores = async (query: string) =>
  (await getJson<ListScoresResponse>(server, `/api/v1/scores?limit=1000&${query}`)).body.scores

beforeAll(async () => {
  judge = await startMockJudge((prompt) =>
    /Outcome: failed/.test(prompt)
      ? { score: 0.1, label: 'unhelpful', explanation: 'the run failed' }
      : /human colleague/.test(prompt)
        ? { score: 0.5, label: 'unhelpful', explanation: 'handed off' }
        : { score: 0.9, label: 'helpful', explanation: 'answered the request' },
  )
  server = await startTestServer({ SIGHTLINE_JUDGE_URL: judge.url, SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  const fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    seed: 7,
    rate: 60,
    timeScale: 0.05,
    maxTraces: 40,
    portBase: 0,
    feedbackShare: 0.6,
    log: (line) => {
      if (/error|fail/i.test(line)) console.error(line)
    },
  })
  try {
    stats = await fleet.trafficDone
    const users = createScoreClient({ endpoint: server.url, apiKey: TEST_API_KEY })
    // Which of the traffic's runs failed, and which of those drew feedback, depends on timing: one failed run
    // of the buggy planner (2.3.0, it loops on Atlantis) always gets its user's thumbs down.
    const buggy = new AgentClient(await fleet.spawn('planner', { PLANNER_RELEASE: 'buggy' }), 'planner-agent')
    const loop = await buggy.sendRaw({ text: 'check the weather in Atlantis', meta: { requestId: 'buggy-0' } })
    buggyRun = String(loop.metadata?.[TRACE_ID_METADATA])
    // The fixed planner (2.3.1) answers the same weather questions; its users react too.
    const fixed = new AgentClient(await fleet.spawn('planner', { PLANNER_RELEASE: 'fixed' }), 'planner-agent')
    for (let i = 0; i < 12; i++) {
      const task = await fixed.sendRaw({
        text: i % 3 ? 'What is the weather in Lisbon?' : 'check the weather in Atlantis',
        meta: { requestId: `fixed-${i}` },
      })
      fixedRuns.push(String(task.metadata?.[TRACE_ID_METADATA]))
    }
    // Users react once they have read the answers (the runs' root spans are stored by then, as in real use).
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    await users.feedback({ traceId: buggyRun, thumbs: 'down', rating: 1 })
    for (const [i, traceId] of fixedRuns.entries())
      await users.feedback({ traceId, thumbs: i === 5 ? 'down' : 'up', rating: i === 5 ? 2 : 5 })
  } finally {
    await fleet.stop()
  }
  await server.drain()
}, 240_000)

afterAll(async () => {
  await server?.stop()
  await judge?.close()
})

describe('evaluation on the demo fleet', () => {
  it('the app sent end-user feedback through the SDK on the runs it answered', async () => {
    expect(stats.feedback).toBeGreaterThan(5)
    const thumbs = await scores('name=user_feedback&source=sdk')
    expect(thumbs.length).toBe(stats.feedback + fixedRuns.length + 1)
    // Every run whose user saw it fail (its root span failed: the planner gave no answer) got a thumbs down.
    // A failed trace can still have an answered root (a delegation failed and was not retried, the planner
    // answered anyway): its user may like the answer.
    const failed = (await getJson<ListTracesResponse>(server, '/api/v1/traces?status=failed&limit=500')).body.traces
    expect(failed.map((t) => t.traceId)).toContain(buggyRun)
    const seenFailing: string[] = []
    for (const t of failed) {
      const { spans } = (await getJson<GetTraceResponse>(server, `/api/v1/traces/${t.traceId}?view=skeleton`)).body
      if (spans.some((span) => span.parentSpanId === '' && span.status === 'error')) seenFailing.push(t.traceId)
    }
    expect(seenFailing).toContain(buggyRun)
    const liked = thumbs.filter((s) => seenFailing.includes(s.traceId) && s.value !== false)
    expect(liked.map((s) => `${s.traceId}: ${failed.find((t) => t.traceId === s.traceId)?.failureReason}`)).toEqual([])
    expect(thumbs.every((s) => s.release === '2.3.0' || s.release === '2.3.1')).toBe(true)
  })

  it('an online trajectory evaluator and an LLM judge score a sample of production traces', async () => {
    const good = (
      await getJson<ListTracesResponse>(server, '/api/v1/traces?status=ok&agent=researcher&limit=500')
    ).body.traces.find((t) => t.delegationCount >= 2)!
    const { reference } = await api<{ reference: ReferenceTrajectory }>('POST', '/api/v1/reference-trajectories', {
      traceId: good.traceId,
      name: 'plan, research, execute',
      argsMatch: 'ignore',
    })
    expect(reference.steps.filter((s) => s.kind === 'agent_delegation').map((s) => s.name)).toEqual(
      expect.arrayContaining(['researcher-agent', 'executor-agent']),
    )
    await api('PUT', '/api/v1/evaluators/delegation-recall', {
      name: 'Delegates like the good run',
      scoreName: 'trajectory_recall',
      sampleRate: 0.5,
      delaySeconds: 0,
      filter: { service: 'planner-agent' },
      config: { type: 'trajectory', metric: 'recall', reference: { kind: 'reference', id: reference.id } },
    })
    await api('PUT', '/api/v1/evaluators/helpfulness', {
      name: 'Helpfulness judge',
      scoreName: 'judge_helpful',
      sampleRate: 0.3,
      delaySeconds: 0,
      passThreshold: 0.5,
      config: {
        type: 'llm_judge',
        rubric:
          'Task: {{input}}\nAnswer: {{output}}\nSteps:\n{{trajectory}}\nOutcome: {{outcome}}\nWas the agent helpful?',
        labels: ['helpful', 'unhelpful'],
      },
    })
    const pass = await server.deps.evaluatorScheduler.runDue(Date.now())
    expect(pass.errors).toBe(0)
    const production = (
      await getJson<ListTracesResponse>(server, '/api/v1/traces?service=planner-agent&limit=500')
    ).body.traces.filter((t) => t.outcome !== 'running')
    const recall = await scores('name=trajectory_recall&source=evaluator')
    const judged = await scores('name=judge_helpful&source=evaluator')
    for (const [sample, rate] of [
      [recall, 0.5],
      [judged, 0.3],
    ] as const) {
      expect(sample.length).toBeGreaterThan(production.length * rate * 0.4)
      expect(sample.length).toBeLessThan(production.length * Math.min(1, rate * 1.8))
    }
    // The good run's own shape scores 1; a loop (no delegation at all) scores 0.
    const byTrace = new Map(recall.map((s) => [s.traceId, s.value]))
    const loops = (await getJson<ListTracesResponse>(server, '/api/v1/traces?tag=loop&limit=500')).body.traces.filter(
      (t) => byTrace.has(t.traceId),
    )
    expect(loops.every((t) => byTrace.get(t.traceId) === 0)).toBe(true)
    expect(recall.some((s) => s.value === 1)).toBe(true)
    expect(judged.every((s) => (s.value === 0.9 && s.label === 'helpful') || s.label === 'unhelpful')).toBe(true)
    // Runs are recorded, and the judge's own calls are traced and priced.
    const runs = (await getJson<{ runs: EvaluatorRun[] }>(server, '/api/v1/evaluators/helpfulness/runs?limit=500')).body
      .runs
    expect(runs).toHaveLength(judged.length)
    await server.drain()
    const call = (await getJson<GetTraceResponse>(server, `/api/v1/traces/${runs[0]!.judgeTraceId}`)).body.spans[0]!
    expect(call).toMatchObject({ serviceName: 'sightline-judge', isLlmCall: true })
    expect(call.costUsd).toBeGreaterThan(0)
  })

  it('scores per release come with 95 % intervals', async () => {
    const body = (
      await getJson<ReleaseScoresResponse>(server, '/api/v1/analytics/scores/releases?name=user_feedback,judge_helpful')
    ).body
    const feedback = (release: string) =>
      body.releases.find((r) => r.release === release)!.scores.find((s) => s.name === 'user_feedback')!
    expect(feedback('2.3.1').passRate).toMatchObject({ successes: 11, n: 12 })
    expect(feedback('2.3.1').passRate!.ciLow!).toBeLessThan(11 / 12)
    expect(feedback('2.3.0').passRate!.n).toBe(stats.feedback + 1)
    expect(feedback('2.3.0').passRate!.ciHigh!).toBeGreaterThan(feedback('2.3.0').passRate!.estimate!)
  })
})
