/**
 * Google ADK for TypeScript, as exported by ADK's own telemetry setup (OTLP/HTTP JSON). FINDINGS.md
 * lists where ADK puts each fact.
 */
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'

describeContract('adk', (ctx) => {
  it('names the trace after the root agent', () => {
    expect(ctx().run.traces.map((t) => t.name)).toEqual(['trip_planner'])
  })

  // ADK ends a throwing tool's span with no error status: the next model request reports it.
  it('infers the failed tool from the next model request, and the run as recovered', () => {
    const { run } = ctx()
    const failed = run.spans.filter((s) => s.failed)
    expect(failed.map((s) => [s.toolName, s.status, s.failureInferred])).toEqual([['lookup_flight', 'unset', true]])
    expect(run.traces.map((t) => t.outcome)).toEqual(['recovered'])
  })
})
