import { describe, expect, it } from 'vitest'
import { alignTrajectories, canonicalJson, toTrajectory, type TrajectorySpan } from './trajectory.js'

let clock = 0
const s = (over: Partial<TrajectorySpan>): TrajectorySpan => ({
  spanId: `s${clock}`,
  parentSpanId: '',
  name: '',
  kind: 'span',
  startTime: new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString(),
  status: 'ok',
  agentName: '',
  model: '',
  isLlmCall: false,
  toolName: '',
  toolArguments: '',
  serviceName: 'svc',
  ...over,
})
const llm = (model: string, parent = 'root') => s({ kind: 'llm', isLlmCall: true, model, parentSpanId: parent })
const tool = (name: string, args: object, parent = 'root') =>
  s({ kind: 'tool', toolName: name, toolArguments: JSON.stringify(args), parentSpanId: parent })
const run = (...steps: TrajectorySpan[]) => [s({ spanId: 'root', kind: 'agent', agentName: 'planner' }), ...steps]

describe('toTrajectory', () => {
  it('orders llm, tool and delegation steps and inherits the agent', () => {
    const spans = run(
      llm('gpt-4o'),
      tool('search', { q: 'paris', n: 1 }),
      s({ spanId: 'sub', kind: 'agent', agentName: 'researcher', parentSpanId: 'root' }),
      llm('gpt-4o-mini', 'sub'),
    )
    const steps = toTrajectory(spans)
    expect(steps.map((x) => x.signature)).toEqual([
      'llm:gpt-4o', 'tool:search({"n":1,"q":"paris"})', 'delegation:researcher', 'llm:gpt-4o-mini',
    ])
    expect(steps.map((x) => x.agent)).toEqual(['planner', 'planner', 'researcher', 'researcher'])
  })

  it('canonicalises arguments and tolerates non-JSON', () => {
    expect(canonicalJson('{"b":2,"a":{"d":1,"c":0}}')).toBe('{"a":{"c":0,"d":1},"b":2}')
    expect(canonicalJson(' city=Paris ')).toBe('city=Paris')
  })
})

describe('alignTrajectories', () => {
  const steps = (...spans: TrajectorySpan[]) => toTrajectory(run(...spans))

  it('reports no divergence for identical runs', () => {
    const a = steps(llm('m'), tool('t', { x: 1 }))
    const b = steps(llm('m'), tool('t', { x: 1 }))
    expect(alignTrajectories(a, b)).toMatchObject({ firstDivergence: null, similarity: 1 })
  })

  it('finds a changed argument as a mismatch and an extra step as an insert', () => {
    const a = steps(llm('m'), tool('search', { q: 'a' }), llm('m'), tool('answer', {}))
    const b = steps(llm('m'), tool('search', { q: 'b' }), llm('m'), tool('retry', {}), llm('m'), tool('answer', {}))
    const result = alignTrajectories(a, b)
    expect(result.pairs.map((p) => p.op)).toEqual(['match', 'mismatch', 'insert', 'insert', 'match', 'match'])
    expect(result.firstDivergence).toBe(1)
    expect(result.similarity).toBeCloseTo(3 / 6)
  })

  it('shows unrelated steps as delete + insert, and handles empty runs', () => {
    const result = alignTrajectories(steps(tool('a', {})), steps(llm('m')))
    expect(result.pairs.map((p) => p.op).sort()).toEqual(['delete', 'insert'])
    expect(alignTrajectories([], [])).toEqual({ pairs: [], firstDivergence: null, similarity: 1 })
    expect(alignTrajectories(steps(llm('m')), []).pairs.map((p) => p.op)).toEqual(['delete'])
  })
})
