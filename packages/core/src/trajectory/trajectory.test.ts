import { describe, expect, it } from 'vitest'
import { apiSpans } from '../../test/api-spans.js'
import { agent, facts, llm, tool } from '../../test/facts.js'
import { toolArgsKey } from '../content/args-key.js'
import type { SpanFacts } from '../trace/span-facts.js'
import { alignTrajectories } from './align.js'
import { canonicalJson, toTrajectory } from './trajectory.js'

let clock = 0
/** A run of planner: its steps start in the order given. */
function run(...steps: SpanFacts[]) {
  const root = agent('planner', { spanId: 'root', startMs: 0, endMs: 10_000 })
  return apiSpans(
    [root, ...steps.map((s) => ({ ...s, parentSpanId: s.parentSpanId || 'root' }))],
    Object.fromEntries(steps.map((s) => [s.spanId, { toolArguments: args.get(s.spanId) ?? '' }])),
  )
}
const args = new Map<string, string>()
const at = () => ({ startMs: ++clock * 10, endMs: clock * 10 + 5 })
const chat = (model: string, o: Partial<SpanFacts> = {}) => llm({ spanId: `llm${++clock}`, model, ...at(), ...o })
function call(name: string, a: object, o: Partial<SpanFacts> = {}): SpanFacts {
  const spanId = `tool${++clock}`
  args.set(spanId, JSON.stringify(a))
  return tool({ spanId, toolName: name, toolArgsKey: toolArgsKey(JSON.stringify(a)), ...at(), ...o })
}

describe('toTrajectory', () => {
  it("orders counted model calls, tool calls, delegations; a step is its agent's, a delegation its caller's", () => {
    const steps = toTrajectory(
      run(
        chat('gpt-4o'),
        call('search', { q: 'paris', n: 1 }),
        facts({ spanId: 'handoff', kind: 'handoff', agentName: 'researcher', flags: ['a2a:client'], ...at() }),
        agent('researcher', {
          spanId: 'r-server',
          parentSpanId: 'handoff',
          serviceName: 'researcher',
          flags: ['a2a:server'],
          ...at(),
        }),
        chat('gpt-4o-mini', { parentSpanId: 'r-server', serviceName: 'researcher' }),
      ),
    )
    expect(steps.map((x) => x.signature)).toEqual([
      'llm:gpt-4o',
      'tool:search({"n":1,"q":"paris"})',
      'delegation:researcher',
      'llm:gpt-4o-mini',
    ])
    expect(steps.map((x) => x.agent)).toEqual(['planner', 'planner', 'planner', 'researcher'])
  })

  it("counts an MCP call traced on both ends as one tool step, with its server end's arguments and failure", () => {
    const client = tool({ spanId: 'client', toolName: 'weather', flags: ['mcp:client'], ...at() })
    const server = call(
      'weather',
      { city: 'Atlantis' },
      { parentSpanId: 'client', serviceName: 'tools', flags: ['mcp:server'], status: 'error' },
    )
    const steps = toTrajectory(run(client, server))
    expect(steps).toEqual([
      expect.objectContaining({
        kind: 'tool',
        spanId: 'client',
        signature: 'tool:weather({"city":"Atlantis"})',
        isError: true,
      }),
    ])
  })

  it('takes an in-process sub-agent (same service, no hand-off) as no delegation, an aggregate as no LLM call', () => {
    const inner = agent('helper', { spanId: 'inner', ...at() })
    const gen = facts({
      spanId: 'gen',
      parentSpanId: 'inner',
      kind: 'llm',
      model: 'gpt-4o',
      inputTokens: 100,
      outputTokens: 10,
      ...at(),
    })
    const steps = toTrajectory(run(inner, gen, chat('gpt-4o', { parentSpanId: 'gen' })))
    expect(steps.map((x) => `${x.agent}:${x.signature}`)).toEqual(['helper:llm:gpt-4o'])
  })

  it('canonicalises arguments and tolerates non-JSON', () => {
    expect(canonicalJson('{"b":2,"a":{"d":1,"c":0}}')).toBe('{"a":{"c":0,"d":1},"b":2}')
    expect(canonicalJson(' city=Paris ')).toBe('city=Paris')
  })
})

describe('alignTrajectories', () => {
  const steps = (...spans: SpanFacts[]) => toTrajectory(run(...spans))

  it('reports no divergence for identical runs', () => {
    const a = steps(chat('m'), call('t', { x: 1 }))
    const b = steps(chat('m'), call('t', { x: 1 }))
    expect(alignTrajectories(a, b)).toMatchObject({ firstDivergence: null, similarity: 1 })
  })

  it('finds a changed argument as a mismatch and an extra step as an insert', () => {
    const a = steps(chat('m'), call('search', { q: 'a' }), chat('m'), call('answer', {}))
    const b = steps(chat('m'), call('search', { q: 'b' }), chat('m'), call('retry', {}), chat('m'), call('answer', {}))
    const result = alignTrajectories(a, b)
    expect(result.pairs.map((p) => p.op)).toEqual(['match', 'mismatch', 'insert', 'insert', 'match', 'match'])
    expect(result.firstDivergence).toBe(1)
    expect(result.similarity).toBeCloseTo(3 / 6)
  })

  it('shows unrelated steps as delete + insert, and handles empty runs', () => {
    const result = alignTrajectories(steps(call('a', {})), steps(chat('m')))
    expect(result.pairs.map((p) => p.op).sort()).toEqual(['delete', 'insert'])
    expect(alignTrajectories([], [])).toEqual({ pairs: [], firstDivergence: null, similarity: 1 })
    expect(alignTrajectories(steps(chat('m')), []).pairs.map((p) => p.op)).toEqual(['delete'])
  })
})
