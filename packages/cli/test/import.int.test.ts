/**
 * End to end: `sightline import` against a real Sightline server (embedded store), one sample per
 * format, then the query API must show what the source files say.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GetTraceResponse, ListTracesResponse, TraceSummary } from '@sightline/schema'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '../../../apps/ingest/test/helpers/server.js'
import type { Io } from '../src/command.js'
import { importCommand } from '../src/commands/import.js'
import { fixture } from './otlp-checks.js'

const TAU = fixture('tau-bench/gpt-4o-airline.json')
const SWE = fixture('swe-agent/gpt4__pydicom__pydicom-1458.traj')
const OPENHANDS = fixture('openhands/multi_swe_bench-example-output.jsonl')
const TAU_RUNS = 3

let server: TestServer

function captureIo(): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

async function runImport(args: string[]) {
  const io = captureIo()
  const code = await importCommand.run([...args, '--url', server.url, '--api-key', TEST_API_KEY], io)
  return { code, ...io }
}

async function tracesOf(service: string): Promise<TraceSummary[]> {
  const { status, body } = await getJson<ListTracesResponse>(server, `/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500&service=${service}`)
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
  for (const args of [[TAU, '--limit', String(TAU_RUNS)], [SWE], [OPENHANDS, '--format', 'openhands']]) {
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
    const raw = JSON.parse(fs.readFileSync(SWE, 'utf8')) as { trajectory: unknown[]; info: { model_stats: { instance_cost: number; tokens_sent: number; tokens_received: number } } }
    const [summary, ...others] = await tracesOf('swe-agent')
    expect(others).toHaveLength(0)
    const { trace } = await detail(summary!.traceId)
    expect(trace.sessionId).toBe('pydicom__pydicom-1458')
    expect(trace.llmCallCount).toBe(raw.trajectory.length)
    expect(trace.toolCallCount).toBe(raw.trajectory.length)
    expect(trace.inputTokens).toBe(raw.info.model_stats.tokens_sent)
    expect(trace.outputTokens).toBe(raw.info.model_stats.tokens_received)
    expect(trace.costUsd).not.toBeNull()
    expect(Math.abs(trace.costUsd! - raw.info.model_stats.instance_cost)).toBeLessThan(1e-9)
  })

  it('stores the first tau-bench runs with their turns and tool calls', async () => {
    const raw = (JSON.parse(fs.readFileSync(TAU, 'utf8')) as Array<{ task_id: number; traj: Array<{ role: string; tool_calls?: unknown[] }> }>).slice(0, TAU_RUNS)
    const traces = await tracesOf('tau-bench')
    expect(traces).toHaveLength(TAU_RUNS)
    const assistants = raw.flatMap((run) => run.traj.filter((m) => m.role === 'assistant'))
    const sum = (pick: (t: TraceSummary) => number) => traces.reduce((n, t) => n + pick(t), 0)
    expect(sum((t) => t.llmCallCount)).toBe(assistants.length)
    expect(sum((t) => t.toolCallCount)).toBe(assistants.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0))
    expect(new Set(traces.map((t) => t.sessionId))).toEqual(new Set(raw.map((run) => `task-${run.task_id}`)))
  })

  it('stores each OpenHands run with its turns, tool calls and tokens', async () => {
    const runs = fs.readFileSync(OPENHANDS, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {
      instance_id: string
      history: Array<{ source: string; action?: string; tool_call_metadata?: { model_response: { id: string } } }>
      metrics: { token_usages: Array<{ prompt_tokens: number; completion_tokens: number }> }
    })
    const traces = await tracesOf('openhands')
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

  it('dedups a re-import of the same file', async () => {
    const before = await tracesOf('swe-agent')
    expect((await runImport([SWE])).code).toBe(0)
    await server.drain()
    const after = await tracesOf('swe-agent')
    expect(after).toHaveLength(1)
    expect(after[0]!.traceId).toBe(before[0]!.traceId)
    expect(after[0]!.llmCallCount).toBe(before[0]!.llmCallCount)
    expect(after[0]!.inputTokens).toBe(before[0]!.inputTokens)
  })

  it('exits 2 with the server\'s message when the server refuses the key', async () => {
    const io = captureIo()
    const code = await importCommand.run([SWE, '--url', server.url, '--api-key', 'not-a-real-key'], io)
    expect(code).toBe(2)
    expect(io.err).toContain('HTTP 401')
    expect(io.err).toContain('Unknown or revoked API key')
  })
})
