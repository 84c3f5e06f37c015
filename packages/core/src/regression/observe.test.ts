import { describe, expect, it } from 'vitest'
import { RegressionCaseSchema } from '@sightline/schema'
import { apiSpans, type Payloads } from '../../test/api-spans.js'
import { agent, facts, llm, tool } from '../../test/facts.js'
import { toolArgsKey } from '../content/args-key.js'
import type { SpanFacts } from '../trace/span-facts.js'
import { observeRun } from './observe.js'
import { proposeCase } from './propose.js'

const now = '2026-01-02T00:00:00.000Z'
const ATLANTIS = '{"city":"Atlantis"}'
const NOT_FOUND = JSON.stringify({ content: [{ type: 'text', text: 'not found: Atlantis' }], isError: true })
const SUNNY = JSON.stringify({ content: [{ type: 'text', text: 'sunny' }] })
const id = (n: number) => n.toString(16).padStart(16, '0')
const ROOT = id(1)

/** A trace of planner (A2A server, service planner) built as the query API returns it; `extra` are its other spans. */
function plannerTrace(
  extra: (next: () => number) => { facts: SpanFacts[]; payloads?: Payloads },
  root: Partial<SpanFacts> = {},
) {
  let n = 1
  const built = extra(() => ++n)
  const spans = [
    agent('planner', { spanId: ROOT, serviceName: 'planner', flags: ['a2a:server'], startMs: 0, endMs: 1000, ...root }),
    ...built.facts,
  ]
  const input = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'check the weather in Atlantis' }] }])
  return apiSpans(spans, { [ROOT]: { input, attributes: { 'a2a.method': 'SendMessage' } }, ...built.payloads })
}

/**
 * One MCP weather call traced on both ends: the client end records nothing, the server end the arguments and answer.
 */
function mcpCall(next: () => number, startMs: number, result: string) {
  const client = tool({
    spanId: id(next()),
    parentSpanId: ROOT,
    toolName: 'weather',
    serviceName: 'planner',
    flags: ['mcp:client'],
    startMs,
    endMs: startMs + 8,
  })
  const failed = result === NOT_FOUND
  const server = tool({
    spanId: id(next()),
    parentSpanId: client.spanId,
    toolName: 'weather',
    serviceName: 'tools',
    flags: ['mcp:server'],
    startMs: startMs + 1,
    endMs: startMs + 7,
    toolArgsKey: toolArgsKey(ATLANTIS),
    ...(failed ? { status: 'error' as const, statusMessage: 'not found: Atlantis' } : {}),
  })
  // The resolver keys identical calls on the counted (client) end: the stored key is the client's arguments'.
  client.toolArgsKey = server.toolArgsKey
  return {
    facts: [client, server],
    payloads: {
      [client.spanId]: { toolArguments: ATLANTIS },
      [server.spanId]: { toolArguments: ATLANTIS, toolResult: result },
    },
  }
}

function calls(next: () => number, results: string[]) {
  const parts = results.map((r, i) => mcpCall(next, 10 + i * 20, r))
  return {
    facts: parts.flatMap((p) => p.facts),
    payloads: Object.assign({}, ...parts.map((p) => p.payloads)) as Payloads,
  }
}

describe('observeRun on counted roles', () => {
  it('takes an MCP call traced on both ends for one tool_call step, its answer recorded from the server end', () => {
    const run = observeRun(plannerTrace((next) => calls(next, [SUNNY])))
    expect(run.steps).toEqual([
      expect.objectContaining({
        kind: 'tool_call',
        name: 'weather',
        protocol: 'mcp',
        args: { city: 'Atlantis' },
        agent: 'planner',
      }),
    ])
    expect(run.usage.toolCalls).toBe(1)
    expect(run.tools).toEqual([
      expect.objectContaining({
        tool: 'weather',
        args: { city: 'Atlantis' },
        result: { content: [{ type: 'text', text: 'sunny' }], isError: false },
      }),
    ])
    expect(run.trace.outcome).toBe('ok')
  })

  it('takes an A2A hand-off and the remote agent it reaches for one delegation, answered from the remote side', () => {
    const spans = plannerTrace((next) => {
      const handoff = facts({
        spanId: id(next()),
        parentSpanId: ROOT,
        kind: 'handoff',
        name: 'invoke_agent researcher-agent',
        agentName: 'researcher-agent',
        serviceName: 'planner',
        flags: ['a2a:client'],
        startMs: 10,
        endMs: 50,
      })
      const remote = agent('researcher-agent', {
        spanId: id(next()),
        parentSpanId: handoff.spanId,
        serviceName: 'researcher',
        flags: ['a2a:server'],
        startMs: 11,
        endMs: 49,
      })
      const chat = llm({
        spanId: id(next()),
        parentSpanId: remote.spanId,
        serviceName: 'researcher',
        startMs: 12,
        endMs: 20,
      })
      return { facts: [handoff, remote, chat], payloads: { [remote.spanId]: { output: 'Atlantis is a legend.' } } }
    })
    const { case: rc } = proposeCase(spans, { now })
    expect(rc.observed.trajectory.map((s) => `${s.agent}:${s.kind}:${s.name}`)).toEqual([
      'planner:agent_delegation:researcher-agent',
      'researcher-agent:llm_call:gpt-4o',
    ])
    expect(rc.recordings.agents).toEqual([
      expect.objectContaining({
        agent: 'researcher-agent',
        caller: 'planner',
        answer: 'Atlantis is a legend.',
        state: 'completed',
      }),
    ])
    expect(rc.replay.env).toEqual({ RESEARCHER_URL: { kind: 'a2a', agent: 'researcher-agent' } })
  })

  it('finds the loop the resolver finds: four identical MCP calls are four calls, not eight', () => {
    const { case: rc, checks } = proposeCase(
      plannerTrace((next) => calls(next, [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]), {
        status: 'error',
        statusMessage: 'gave up',
      }),
      { now },
    )
    expect(RegressionCaseSchema.parse(rc)).toEqual(rc)
    expect(rc.failure.category).toBe('loop')
    expect(rc.failure.summary).toMatch(
      new RegExp(
        String.raw`^Loop: weather \{"city":"Atlantis"\} called 4 times with the same arguments ` +
          String.raw`\(the tool answered "not found: Atlantis"\); the run failed: `,
      ),
    )
    expect(rc.failure.evidenceSpanIds).toEqual(rc.observed.trajectory.map((s) => s.spanId))
    expect(rc.observed.usage.toolCalls).toBe(4)
    expect(rc.expected.trajectory.map((s) => s.name)).toEqual(['weather', 'weather'])
    expect(checks.find((c) => c.assertionId === 'no-repeated-calls')?.checkedAgainstSource.wouldFail).toBe(true)
  })

  it('does not take a retry that recovered for a loop', () => {
    const spans = plannerTrace((next) => calls(next, [NOT_FOUND, NOT_FOUND, SUNNY]))
    const run = observeRun(spans)
    expect(run.trace).toMatchObject({ outcome: 'recovered', tags: ['recovered-retry'], loops: [] })
    expect(run.outcome).toEqual({ status: 'ok', errorType: '', message: '' })
    expect(run.errors.map((e) => [e.isTool, e.recovered])).toEqual([
      [true, true],
      [true, true],
    ])
    const { case: rc } = proposeCase(spans, { now })
    expect(rc.failure.category).toBe('error')
    expect(rc.failure.summary).toMatch(/^Recovered from 2 failed span\(s\), first: /)
    expect(rc.assertions.map((a) => a.type)).not.toContain('max_repeated_calls')
  })

  it("records a failed run as an error with the resolver's failure reason, a recovered one as ok", () => {
    const failed = plannerTrace((next) => calls(next, [NOT_FOUND]), {
      status: 'error',
      statusMessage: 'no answer',
      errorType: 'AgentError',
    })
    const run = observeRun(failed)
    expect(run.trace).toMatchObject({ outcome: 'failed', failureReason: 'weather: not found: Atlantis' })
    expect(run.outcome).toEqual({ status: 'error', errorType: '', message: 'weather: not found: Atlantis' })
    const rc = proposeCase(failed, { now }).case
    expect(rc.failure).toMatchObject({
      category: 'tool_error_unhandled',
      summary: 'The run failed: weather: not found: Atlantis after 1 tool error(s) (execute_tool weather)',
    })
    expect(rc.observed.outcome.status).toBe('error')

    const recovered = observeRun(plannerTrace((next) => calls(next, [NOT_FOUND])))
    expect(recovered.trace.outcome).toBe('recovered')
    expect(recovered.outcome.status).toBe('ok')
  })

  it("observes a replay from the agent the request reached, under the runner's request span as root", () => {
    const agentSpans = plannerTrace((next) => calls(next, [SUNNY]))
    const runnerRoot = {
      ...agentSpans[0]!,
      spanId: id(99),
      parentSpanId: '',
      name: 'sightline regress rc-x',
      kind: 'span' as const,
      serviceName: 'sightline-regress',
      serviceVersion: '',
      agentName: '',
      flags: ['regression_run'],
      attributes: {},
    }
    const spans = [
      runnerRoot,
      ...agentSpans.map((s) => (s.spanId === ROOT ? { ...s, parentSpanId: runnerRoot.spanId } : s)),
    ]
    const run = observeRun(spans)
    expect(run).toMatchObject({
      rootSpanId: id(99),
      entrySpanId: ROOT,
      agent: 'planner',
      service: 'planner',
      releases: ['1.0.0'],
      input: 'check the weather in Atlantis',
    })
    // The runner handing the case to the agent is where the run begins, not one of its steps.
    expect(run.steps.map((s) => `${s.agent}:${s.kind}:${s.name}`)).toEqual(['planner:tool_call:weather'])
    expect(run.agents).toEqual([])
    expect(proposeCase(spans, { now }).case.agent).toMatchObject({ name: 'planner', protocol: 'a2a-1.0' })
  })

  it("judges by the server's summary when the caller has it", () => {
    const spans = plannerTrace((next) => calls(next, [SUNNY]))
    const run = observeRun(spans, {
      summary: { outcome: 'failed', failureReason: 'planner: timed out', failureSpanId: ROOT },
    })
    expect(run.outcome).toEqual({ status: 'error', errorType: '', message: 'planner: timed out' })
    expect(
      observeRun(spans, { summary: { outcome: 'running', failureReason: '', failureSpanId: '' } }).outcome.status,
    ).toBe('error')
  })
})
