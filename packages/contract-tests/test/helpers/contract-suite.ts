/**
 * The contract every framework fixture must meet, read through the public API of a real server:
 * exactly the model calls, tokens, cost, tool calls (arguments, results, failures), agents,
 * delegations and session of the ground truth. One `it` per fact, so a failure names the fact.
 */
import type { Span } from '@sightline/schema'
import { startTestServer, type TestServer } from '@sightline/ingest/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sumUsage, type GroundTruth } from '../../src/ground-truth.js'
import { expectedRunCost } from './expected-cost.js'
import { loadFixture, replayFixture } from './fixture.js'
import { ancestors, readStoredRun, storedValue, sum, type StoredRun } from './stored-run.js'

export interface ContractContext {
  truth: GroundTruth
  run: StoredRun
  server: TestServer
}

const sorted = <T>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
const llmSpans = (run: StoredRun) => run.spans.filter((s) => s.isLlmCall)
const toolSpans = (run: StoredRun) => run.spans.filter((s) => s.kind === 'tool')
const toolRow = (s: Span) => ({ name: s.toolName, arguments: storedValue(s.toolArguments) })

export function describeContract(framework: string, more?: (ctx: () => ContractContext) => void): void {
  describe(`${framework}: captured spans read back exactly`, () => {
    const { truth, ...fixture } = loadFixture(framework)
    let server: TestServer | undefined
    let run: StoredRun
    beforeAll(async () => {
      server = await startTestServer()
      await replayFixture(server, { truth, ...fixture })
      run = await readStoredRun(server)
    })
    afterAll(async () => {
      await server?.stop()
    })

    it('stores one trace per run', () => {
      expect(run.traces).toHaveLength(truth.runs)
    })

    it('counts every model call once', () => {
      expect(
        llmSpans(run)
          .map((s) => s.model)
          .sort(),
      ).toEqual(truth.llmCalls.map((c) => c.model).sort())
      expect(sum(run.traces, 'llmCallCount')).toBe(truth.llmCalls.length)
    })

    it('reads input, output, cached and reasoning tokens of each call', () => {
      const stored = llmSpans(run).map((s) => [
        s.model,
        s.inputTokens,
        s.outputTokens,
        s.cachedInputTokens,
        s.reasoningTokens,
      ])
      const expected = truth.llmCalls.map((c) => [
        c.model,
        c.inputTokens,
        c.outputTokens,
        c.cachedInputTokens,
        c.reasoningTokens,
      ])
      expect(sorted(stored)).toEqual(sorted(expected))
    })

    it('totals tokens per trace without double counting', () => {
      const totals = sumUsage(truth.llmCalls)
      expect({
        inputTokens: sum(run.traces, 'inputTokens'),
        outputTokens: sum(run.traces, 'outputTokens'),
        cachedInputTokens: sum(run.traces, 'cachedInputTokens'),
        reasoningTokens: sum(run.traces, 'reasoningTokens'),
      }).toEqual(totals)
    })

    it('names the provider of each call', () => {
      expect(sorted(llmSpans(run).map((s) => [s.model, s.provider]))).toEqual(
        sorted(truth.llmCalls.map((c) => [c.model, c.provider])),
      )
    })

    it('prices the run with genai-prices (or counts it unpriced)', () => {
      const expected = expectedRunCost(truth)
      expect(sum(run.traces, 'unpricedLlmCalls')).toBe(expected.unpriced)
      const cost = run.traces.reduce((total, t) => total + (t.costUsd ?? 0), 0)
      expect(cost).toBeCloseTo(expected.costUsd, 9)
    })

    it('attributes each call to the agent that made it', () => {
      expect(sorted(llmSpans(run).map((s) => [s.agentName, s.model]))).toEqual(
        sorted(truth.llmCalls.map((c) => [c.agent, c.model])),
      )
    })

    it('records every tool call with its arguments', () => {
      expect(sum(run.traces, 'toolCallCount')).toBe(truth.toolCalls.length)
      expect(sorted(toolSpans(run).map(toolRow))).toEqual(
        sorted(truth.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))),
      )
    })

    it('records the result of every successful tool call', () => {
      const stored = toolSpans(run)
        .filter((s) => !s.failed)
        .map((s) => ({ ...toolRow(s), result: storedValue(s.toolResult) }))
      const expected = truth.toolCalls
        .filter((c) => !c.failed)
        .map((c) => ({
          name: c.name,
          arguments: c.arguments,
          result: typeof c.result === 'string' ? storedValue(c.result) : c.result,
        }))
      expect(sorted(stored)).toEqual(sorted(expected))
    })

    // `failed` is the resolved answer the console shows: a span's own error status, or a later
    // span's report (ADK tells the failure only in the next model request), never another span's
    // error copied onto it (OpenInference's Vercel processor).
    it('shows every failed tool call as failed', () => {
      const failed = truth.toolCalls.filter((c) => c.failed)
      expect(
        sorted(
          toolSpans(run)
            .filter((s) => s.failed)
            .map(toolRow),
        ),
      ).toEqual(sorted(failed.map((c) => ({ name: c.name, arguments: c.arguments }))))
      expect(sum(run.traces, 'toolErrorCount')).toBe(failed.length)
    })

    it('names every agent', () => {
      expect([...new Set(run.traces.flatMap((t) => t.agents))].sort()).toEqual([...truth.agents].sort())
    })

    // An agent used as a tool runs inside the caller's tool call, so its spans nest under the
    // caller's; a handoff passes control on, so it shows as a handoff span of the agent handing off.
    it('links each handoff or delegation from one agent to the next', () => {
      const links = truth.handoffs.filter(({ from, to, mode }) =>
        mode === 'agent-as-tool'
          ? run.spans.some((s) => s.agentName === to && ancestors(run, s).some((a) => a.agentName === from))
          : run.spans.some((s) => s.kind === 'handoff' && s.agentName === from) &&
            run.spans.some((s) => s.agentName === to),
      )
      expect(links).toEqual(truth.handoffs)
    })

    it('puts every trace in the session (or in none when the spans carry none)', () => {
      expect(run.traces.map((t) => t.sessionId)).toEqual(run.traces.map(() => truth.sessionId ?? ''))
    })

    more?.(() => {
      if (!server) throw new Error('server not started')
      return { truth, run, server }
    })
  })
}
