/**
 * Online evaluators over the real server and a local mock judge: trajectory metrics against a
 * reference saved from a good trace, outcome checks, and an LLM judge scoring a sample, with every
 * run recorded (input, output, latency, cost), the judge's own call traced and priced, and every
 * failure an error score. Bad definitions get a 400; another project sees none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  Evaluator,
  EvaluatorRun,
  GetTraceResponse,
  ListEvaluatorsResponse,
  ListScoresResponse,
  ReferenceTrajectory,
  RunEvaluatorResponse,
} from '@sightline/schema'
import { makeTraceRequest, sendJson, traceIdFor, type TraceSpec } from '@sightline/testkit/otlp-json'
import { JUDGE_USAGE, startMockJudge, type MockJudge } from '../helpers/mock-judge.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
let judge: MockJudge
let otherKey: string
const T0 = Date.now() - 3_600_000
const good = ['refund ord-1', 'refund ord-2', 'refund ord-3']
const specs: TraceSpec[] = [
  ...good.map(
    (seed, i): TraceSpec => ({
      seed,
      startMs: T0 + i * 60_000,
      agent: 'planner',
      model: 'gpt-4o',
      release: '2.3.1',
      service: 'planner-agent',
      tools: [
        { name: 'db_lookup', args: { id: `ord-${i + 1}` }, result: 'found' },
        { name: 'calculator', args: { e: '1+1' }, result: '2' },
      ],
    }),
  ),
  {
    seed: 'loop',
    startMs: T0 + 5 * 60_000,
    agent: 'planner',
    model: 'gpt-4o',
    release: '2.3.0',
    service: 'planner-agent',
    tools: Array.from({ length: 4 }, () => ({ name: 'weather', args: { city: 'Atlantis' }, error: 'not found' })),
  },
  {
    seed: 'exec',
    startMs: T0 + 6 * 60_000,
    agent: 'executor',
    model: 'gpt-4o-mini',
    release: '1.4.0',
    service: 'executor-agent',
    tools: [{ name: 'db_lookup', args: { id: 'ord-9' }, result: 'found' }],
  },
]
const planner = [...good, 'loop'].map(traceIdFor)

const put = (path: string, body: unknown, key?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/json',
      Authorization: key ? `Bearer ${key}` : server.authHeaders.Authorization!,
    },
    body: JSON.stringify(body),
  })
const postJson = async <T>(path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as T }
}
const scoresNamed = async (name: string) =>
  (await getJson<ListScoresResponse>(server, `/api/v1/scores?name=${name}&limit=1000`)).body.scores
const runsOf = async (id: string) =>
  (await getJson<{ runs: EvaluatorRun[] }>(server, `/api/v1/evaluators/${id}/runs`)).body.runs

beforeAll(async () => {
  judge = await startMockJudge((prompt) =>
    prompt.includes('not found')
      ? { score: 0.1, label: 'unhelpful', explanation: 'the weather tool kept failing' }
      : { score: 0.9, label: 'helpful', explanation: 'looked the order up and answered' },
  )
  server = await startTestServer({
    SIGHTLINE_JUDGE_URL: judge.url,
    SIGHTLINE_JUDGE_API_KEY: 'sk-judge-test-key',
    SIGHTLINE_JUDGE_RETRIES: '2',
    SIGHTLINE_EVAL_INTERVAL_MS: '0',
  })
  for (const spec of specs) await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
  otherKey = (await server.deps.projects.createProject('other team')).apiKey
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
  await judge?.close()
})

describe('trajectory evaluators against a reference', () => {
  it('saves a reference from a good trace and scores precision on every planner trace', async () => {
    const ref = await postJson<{ reference: ReferenceTrajectory }>('/api/v1/reference-trajectories', {
      traceId: traceIdFor(good[0]!),
      name: 'order refund',
      id: 'refund',
      argsMatch: 'ignore',
    })
    expect(ref.status).toBe(201)
    expect(ref.body.reference.steps.map((s) => `${s.kind}:${s.name}`)).toEqual([
      'tool_call:db_lookup',
      'tool_call:calculator',
    ])
    const res = await put('/api/v1/evaluators/refund-precision', {
      name: 'Refund path precision',
      scoreName: 'trajectory_precision',
      filter: { agent: 'planner' },
      sampleRate: 1,
      delaySeconds: 0,
      config: { type: 'trajectory', metric: 'precision', reference: { kind: 'reference', id: 'refund' } },
    })
    expect(res.status).toBe(201)
    const run = await postJson<RunEvaluatorResponse>('/api/v1/evaluators/refund-precision/run')
    expect(run.body).toEqual({ evaluated: 4, skipped: 0, errors: 0 })
    const byTrace = new Map((await scoresNamed('trajectory_precision')).map((s) => [s.traceId, s]))
    expect([...byTrace.keys()].sort()).toEqual([...planner].sort())
    expect(byTrace.get(traceIdFor('refund ord-2'))).toMatchObject({
      value: 1,
      source: 'evaluator',
      evaluator: 'refund-precision',
      evaluatorVersion: '1',
    })
    expect(byTrace.get(traceIdFor('loop'))!.value).toBe(0)
    const runs = await runsOf('refund-precision')
    expect(runs).toHaveLength(4)
    expect(runs[0]).toMatchObject({
      status: 'ok',
      costUsd: null,
      input: expect.stringContaining('reference (order refund)'),
      output: expect.stringMatching(/^precision /),
    })
    // A second pass evaluates nothing again; an edit (new version) does.
    expect((await postJson<RunEvaluatorResponse>('/api/v1/evaluators/refund-precision/run')).body.evaluated).toBe(0)
  })
})

describe('outcome evaluators', () => {
  it('checks steps budgets and flags the loop', async () => {
    expect(
      (
        await put('/api/v1/evaluators/step-budget', {
          name: 'At most 4 steps',
          scoreName: 'step_budget',
          sampleRate: 1,
          delaySeconds: 0,
          config: { type: 'outcome', check: 'step_budget', max: 4 },
        })
      ).status,
    ).toBe(201)
    expect((await postJson<RunEvaluatorResponse>('/api/v1/evaluators/step-budget/run')).body.evaluated).toBe(5)
    const byTrace = new Map((await scoresNamed('step_budget')).map((s) => [s.traceId, s.value]))
    expect(byTrace.get(traceIdFor('loop'))).toBe(0)
    expect(byTrace.get(traceIdFor('exec'))).toBe(1)
  })
})

describe("LLM-as-judge through the operator's endpoint", () => {
  it('scores a sample, records runs with cost, and traces and prices its own calls', async () => {
    const res = await put('/api/v1/evaluators/helpful', {
      name: 'Helpfulness judge',
      scoreName: 'judge_helpful',
      sampleRate: 0.5,
      delaySeconds: 0,
      passThreshold: 0.5,
      config: {
        type: 'llm_judge',
        rubric: 'Task: {{input}}\nSteps:\n{{trajectory}}\nOutcome: {{outcome}} {{error}}\nWas the agent helpful?',
        labels: ['helpful', 'unhelpful'],
      },
    })
    expect(res.status).toBe(201)
    judge.failNext(1, 503)
    const run = await postJson<RunEvaluatorResponse>('/api/v1/evaluators/helpful/run')
    const sampled = await scoresNamed('judge_helpful')
    expect(run.body.evaluated).toBe(sampled.length)
    expect(sampled.length).toBeGreaterThan(0)
    expect(sampled.length).toBeLessThan(specs.length)
    for (const s of sampled)
      expect(s.value === 0.9 ? s.label === 'helpful' : s.label === 'unhelpful' && s.value === 0.1).toBe(true)
    expect(
      judge.requests.every((r) => r.authorization === 'Bearer sk-judge-test-key' && r.model === 'gpt-4o-mini'),
    ).toBe(true)
    expect(judge.requests.length).toBe(sampled.length + 1)
    const runs = await runsOf('helpful')
    expect(
      runs.every((r) => r.status === 'ok' && r.judgeTraceId.length === 32 && r.costUsd !== null && r.costUsd > 0),
    ).toBe(true)
    await server.drain()
    const judged = (await getJson<GetTraceResponse>(server, `/api/v1/traces/${runs[0]!.judgeTraceId}`)).body
    const call = judged.spans[0]!
    expect(call).toMatchObject({
      name: 'chat gpt-4o-mini',
      serviceName: 'sightline-judge',
      inputTokens: JUDGE_USAGE.prompt_tokens,
      outputTokens: JUDGE_USAGE.completion_tokens,
      isLlmCall: true,
    })
    expect(call.costUsd).toBeCloseTo(runs[0]!.costUsd!, 10)
    expect(call.attributes['sightline.evaluated.trace_id']).toBe(runs[0]!.traceId)
    // The key never leaves the environment.
    const listed = await getJson<ListEvaluatorsResponse>(server, '/api/v1/evaluators')
    expect(JSON.stringify(listed.body)).not.toContain('sk-judge-test-key')
    expect(listed.body.judgeConfigured).toBe(true)
    expect(listed.body.evaluators.find((e) => e.id === 'helpful')!.stats).toMatchObject({
      runs: sampled.length,
      errors: 0,
    })
  })

  it('a judge that answers prose is an error score, and the daily budget stops the spend', async () => {
    judge.answerProse(true)
    await put('/api/v1/evaluators/helpful-all', {
      name: 'Judge all',
      scoreName: 'judge_all',
      sampleRate: 1,
      delaySeconds: 0,
      config: { type: 'llm_judge', rubric: 'Judge {{output}} for {{input}} please' },
    })
    const run = await postJson<RunEvaluatorResponse>('/api/v1/evaluators/helpful-all/run')
    judge.answerProse(false)
    expect(run.body).toEqual({ evaluated: 0, skipped: 0, errors: 5 })
    const errors = await scoresNamed('judge_all')
    expect(errors.map((s) => [s.value, s.error.slice(0, 27)])).toEqual(
      Array.from({ length: 5 }, () => [null, 'judge did not answer JSON: ']),
    )
    await put('/api/v1/evaluators/cheap', {
      name: 'Cheap judge',
      scoreName: 'judge_cheap',
      sampleRate: 1,
      delaySeconds: 0,
      config: { type: 'llm_judge', rubric: 'Judge {{output}} for {{input}} please', budgetUsdPerDay: 0.0000001 },
    })
    const capped = await postJson<RunEvaluatorResponse>('/api/v1/evaluators/cheap/run')
    expect(capped.body).toEqual({ evaluated: 1, skipped: 4, errors: 0 })
    expect(
      (await scoresNamed('judge_cheap')).filter((s) => s.error.startsWith('judge budget of $1e-7/day reached')),
    ).toHaveLength(4)
  })
})

describe('bad definitions and isolation', () => {
  it('refuses what cannot run with a 400 that says why', async () => {
    const bad = async (body: unknown) => {
      const res = await put('/api/v1/evaluators/bad-one', body)
      return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message }
    }
    expect(await bad({ name: 'x', scoreName: 'x', config: { type: 'trajectory', metric: 'in_order' } })).toMatchObject({
      status: 400,
      message: expect.stringContaining('needs a reference'),
    })
    expect(
      await bad({
        name: 'x',
        scoreName: 'x',
        config: { type: 'trajectory', metric: 'in_order', reference: { kind: 'reference', id: 'nope' } },
      }),
    ).toMatchObject({ status: 400, message: expect.stringContaining('no reference trajectory nope') })
    expect(
      await bad({ name: 'x', scoreName: 'x', config: { type: 'outcome', check: 'regex', value: '([' } }),
    ).toMatchObject({ status: 400, message: expect.stringContaining('not a valid regular expression') })
    expect(
      await bad({
        name: 'x',
        scoreName: 'x',
        filter: { status: 'sideways' },
        config: { type: 'outcome', check: 'no_escalation' },
      }),
    ).toMatchObject({ status: 400 })
    expect(
      await bad({ name: 'x', scoreName: 'x', sampleRate: 0, config: { type: 'outcome', check: 'no_escalation' } }),
    ).toMatchObject({ status: 400 })
    await put('/api/v1/score-configs/thumbs', { dataType: 'boolean' })
    expect(
      await bad({ name: 'x', scoreName: 'thumbs', config: { type: 'outcome', check: 'no_escalation' } }),
    ).toMatchObject({ status: 400, message: expect.stringContaining('boolean score config') })
    expect((await fetch(`${server.url}/api/v1/evaluators/bad-one`, { headers: server.authHeaders })).status).toBe(404)
  })

  it('another project sees no evaluators, runs or references', async () => {
    const other = { Authorization: `Bearer ${otherKey}` }
    expect((await getJson<ListEvaluatorsResponse>(server, '/api/v1/evaluators', other)).body.evaluators).toEqual([])
    expect((await getJson<unknown>(server, '/api/v1/evaluators/helpful/runs', other)).status).toBe(404)
    expect(
      (await getJson<{ references: unknown[] }>(server, '/api/v1/reference-trajectories', other)).body.references,
    ).toEqual([])
    expect(
      (
        await put(
          '/api/v1/evaluators/refund-precision',
          {
            name: 'x',
            scoreName: 'x',
            config: { type: 'trajectory', metric: 'in_order', reference: { kind: 'reference', id: 'refund' } },
          },
          otherKey,
        )
      ).status,
    ).toBe(400)
    const mine = (await getJson<{ evaluator: Evaluator }>(server, '/api/v1/evaluators/refund-precision')).body.evaluator
    expect(mine.version).toBe(1)
  })
})
