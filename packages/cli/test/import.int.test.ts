/**
 * End to end: `sightline import` against a real Sightline server (embedded store), one sample per
 * format, then the query API must show what the source files say.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GetTraceResponse, ListTracesResponse, TraceSummary } from '@sightline/schema'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'
import type { Io } from '../src/command.js'
import { importCommand } from '../src/commands/import.js'
import { fixture } from './otlp-checks.js'

const TAU = fixture('tau-bench/gpt-4o-airline.json')
const SWE = fixture('swe-agent/gpt4__pydicom__pydicom-1458.traj')
/** A replayed demonstration whose model_stats are all 0: usage not recorded. */
const SWE_ZERO_STATS = fixture('swe-agent/function_calling_replace__marshmallow-code__marshmallow-1867.traj')
const OPENHANDS = fixture('openhands/multi_swe_bench-example-output.jsonl')
/** The older resolver format: history as [action, observation] pairs, one cost per call, no tokens. */
const OPENHANDS_PAIRS = fixture('openhands/resolver-2024-08-history-pairs.jsonl')
const TAU_RUNS = 3

let server: TestServer

function captureIo(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env: {},
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  }
  return io
}

async function runImport(args: string[]) {
  const io = captureIo()
  const code = await importCommand.run([...args, '--url', server.url, '--api-key', TEST_API_KEY], io)
  return { code, ...io }
}

async function tracesOf(service: string): Promise<TraceSummary[]> {
  const { status, body } = await getJson<ListTracesResponse>(
    server,
    `/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500&service=${service}`,
  )
  expect(status).toBe(200)
  return body.traces
}

async function detail(traceId: string): Promise<GetTraceResponse> {
  const { status, body } = await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceId}`)
  expect(status).toBe(200)
  return body
}

beforeAll(async () => {
  server = await startTestServer()
  for (const args of [
    [TAU, '--limit', String(TAU_RUNS)],
    [SWE],
    [SWE_ZERO_STATS],
    [OPENHANDS, '--format', 'openhands'],
    [OPENHANDS_PAIRS],
  ]) {
    const result = await runImport(args)
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/traces, \d+ spans, \d+ LLM calls/)
  }
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('sightline import against a real server', () => {
  it('stores the SWE-agent run with the token totals and cost of model_stats', async () => {
    const raw = JSON.parse(fs.readFileSync(SWE, 'utf8')) as {
      trajectory: unknown[]
      info: { model_stats: { instance_cost: number; tokens_sent: number; tokens_received: number } }
    }
    const [summary, ...others] = (await tracesOf('swe-agent')).filter((t) => t.sessionId === 'pydicom__pydicom-1458')
    expect(others).toHaveLength(0)
    const { trace } = await detail(summary!.traceId)
    expect(trace.sessionId).toBe('pydicom__pydicom-1458')
    expect(trace.llmCallCount).toBe(raw.trajectory.length)
    expect(trace.toolCallCount).toBe(raw.trajectory.length)
    expect(trace.inputTokens).toBe(raw.info.model_stats.tokens_sent)
    expect(trace.outputTokens).toBe(raw.info.model_stats.tokens_received)
    expect(trace.costUsd).not.toBeNull()
    expect(Math.abs(trace.costUsd! - raw.info.model_stats.instance_cost)).toBeLessThan(1e-9)
    expect(trace.unpricedLlmCalls).toBe(0)
  })

  it('stores a SWE-agent run whose model_stats are all 0 with unknown cost, not as free', async () => {
    const raw = JSON.parse(fs.readFileSync(SWE_ZERO_STATS, 'utf8')) as {
      trajectory: unknown[]
      info: { model_stats: Record<string, number> }
    }
    expect(raw.info.model_stats).toMatchObject({ instance_cost: 0, tokens_sent: 0, tokens_received: 0 })
    const [summary, ...others] = (await tracesOf('swe-agent')).filter(
      (t) => t.sessionId === 'marshmallow-code__marshmallow-1867',
    )
    expect(others).toHaveLength(0)
    const { trace, spans } = await detail(summary!.traceId)
    expect(trace.llmCallCount).toBe(raw.trajectory.length)
    expect(trace.costUsd).toBeNull()
    expect(trace.unpricedLlmCalls).toBe(raw.trajectory.length)
    expect(spans.filter((s) => s.isLlmCall).every((s) => s.costUsd === null && s.isUnpriced)).toBe(true)
    expect(summary).toMatchObject({ costUsd: null, unpricedLlmCalls: raw.trajectory.length })
  })

  it('stores the first tau-bench runs with their turns and tool calls', async () => {
    const raw = (
      JSON.parse(fs.readFileSync(TAU, 'utf8')) as Array<{
        task_id: number
        traj: Array<{ role: string; tool_calls?: unknown[] }>
      }>
    ).slice(0, TAU_RUNS)
    const traces = await tracesOf('tau-bench')
    expect(traces).toHaveLength(TAU_RUNS)
    const assistants = raw.flatMap((run) => run.traj.filter((m) => m.role === 'assistant'))
    const sum = (pick: (t: TraceSummary) => number) => traces.reduce((n, t) => n + pick(t), 0)
    expect(sum((t) => t.llmCallCount)).toBe(assistants.length)
    expect(sum((t) => t.toolCallCount)).toBe(assistants.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0))
    expect(new Set(traces.map((t) => t.sessionId))).toEqual(new Set(raw.map((run) => `task-${run.task_id}`)))
    // The file has no token counts: every call's cost is unknown, none is a free $0.
    for (const trace of traces) expect(trace).toMatchObject({ costUsd: null, unpricedLlmCalls: trace.llmCallCount })
  })

  it('stores each OpenHands run with its turns, tool calls and tokens', async () => {
    const runs = fs
      .readFileSync(OPENHANDS, 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            instance_id: string
            history: Array<{ source: string; action?: string; tool_call_metadata?: { model_response: { id: string } } }>
            metrics: { token_usages: Array<{ prompt_tokens: number; completion_tokens: number }> }
          },
      )
    const traces = (await tracesOf('openhands')).filter((t) => runs.some((run) => run.instance_id === t.sessionId))
    expect(traces).toHaveLength(runs.length)
    for (const run of runs) {
      const summary = traces.find((t) => t.sessionId === run.instance_id)
      expect(summary).toBeDefined()
      const { trace } = await detail(summary!.traceId)
      const tools = run.history.filter((e) => e.action !== undefined && e.tool_call_metadata)
      expect(trace.toolCallCount).toBe(tools.length)
      expect(trace.llmCallCount).toBe(new Set(tools.map((e) => e.tool_call_metadata!.model_response.id)).size)
      expect(trace.inputTokens).toBe(run.metrics.token_usages.reduce((n, u) => n + u.prompt_tokens, 0))
      expect(trace.outputTokens).toBe(run.metrics.token_usages.reduce((n, u) => n + u.completion_tokens, 0))
    }
  })

  it("stores an older OpenHands resolver run (history as pairs) with each call's own cost", async () => {
    const run = JSON.parse(fs.readFileSync(OPENHANDS_PAIRS, 'utf8')) as {
      issue: { owner: string; repo: string; number: number }
      history: Array<[{ source?: string; action?: string }, { id?: number }]>
      metrics: { accumulated_cost: number; costs: number[] }
    }
    const session = `${run.issue.owner}/${run.issue.repo}#${run.issue.number}`
    const [summary, ...others] = (await tracesOf('openhands')).filter((t) => t.sessionId === session)
    expect(others).toHaveLength(0)
    const { trace } = await detail(summary!.traceId)
    const agentActions = run.history.filter(([action]) => action.source === 'agent')
    const executed = agentActions.filter(
      ([action, obs]) => !['message', 'finish'].includes(action.action ?? '') && obs.id !== undefined,
    )
    expect(trace.llmCallCount).toBe(agentActions.length)
    expect(trace.llmCallCount).toBe(run.metrics.costs.length)
    expect(trace.toolCallCount).toBe(executed.length)
    expect(Math.abs(trace.costUsd! - run.metrics.accumulated_cost)).toBeLessThan(1e-9)
    expect(trace.unpricedLlmCalls).toBe(0)
    expect(trace.inputTokens).toBe(0)
  })

  it('dedups a re-import of the same file', async () => {
    const before = (await tracesOf('swe-agent')).filter((t) => t.sessionId === 'pydicom__pydicom-1458')
    expect((await runImport([SWE])).code).toBe(0)
    await server.drain()
    const after = (await tracesOf('swe-agent')).filter((t) => t.sessionId === 'pydicom__pydicom-1458')
    expect(after).toHaveLength(1)
    expect(after[0]!.traceId).toBe(before[0]!.traceId)
    expect(after[0]!.llmCallCount).toBe(before[0]!.llmCallCount)
    expect(after[0]!.inputTokens).toBe(before[0]!.inputTokens)
  })

  it("exits 2 with the server's message when the server refuses the key", async () => {
    const io = captureIo()
    const code = await importCommand.run([SWE, '--url', server.url, '--api-key', 'not-a-real-key'], io)
    expect(code).toBe(2)
    expect(io.err).toContain('HTTP 401')
    expect(io.err).toContain('Unknown or revoked API key')
  })
})
